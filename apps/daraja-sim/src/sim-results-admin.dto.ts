import { RESULT_DELIVERIES, type ResultDelivery } from './sim-initiators';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';

export class InitiatorDto {
  @IsString() @MinLength(1) name!: string;
  @IsString() @MinLength(1) password!: string;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(3)
  @IsIn(['status', 'reversal', 'balance'], { each: true })
  roles?: ('status' | 'reversal' | 'balance')[];
  @IsOptional() @IsIn(RESULT_DELIVERIES) delivery?: ResultDelivery;
}

export class C2bValidationDto {
  @IsBoolean() enabled!: boolean;
}

export class HandPaymentDto {
  @Matches(/^\d{5,8}$/) shortCode!: string;
  @Type(() => Number) @IsInt() @Min(1) @Max(250_000) amount!: number;
  @Matches(/^254[17]\d{8}$/) phone!: string;
  @IsString() @Matches(/^[\w -]{0,20}$/) billRefNumber!: string;
}
