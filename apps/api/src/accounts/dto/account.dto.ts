import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { MAX_AMOUNT } from '@malipo/daraja';

export class CreateAccountDto {
  @ApiProperty({ example: 'Amina Otieno', maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @ApiPropertyOptional({ example: '0712345678', description: 'Any Kenyan form; stored normalised' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  phone?: string;

  @ApiPropertyOptional({
    example: 'STU-0042',
    description: "The shop's own customer id; unique within the shop",
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  @Matches(/^[\x20-\x7E]+$/, { message: 'externalRef must be printable ASCII' })
  externalRef?: string;
}

export class ListAccountsQuery {
  @ApiPropertyOptional({
    description: 'Part of the name, or the code, externalRef or phone exactly',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ default: 50, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit = 50;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

export class StatementQuery {
  @ApiPropertyOptional({ enum: ['json', 'csv'], description: 'Or send Accept: text/csv' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 50;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  cursor?: string;
}

export class ChargeDto {
  @ApiProperty({ example: 120, description: 'Whole KES to take from the balance' })
  @IsInt({ message: 'amount must be a whole number of shillings' })
  @Min(1)
  @Max(MAX_AMOUNT)
  amount!: number;

  @ApiProperty({ example: 'ORDER-1043', description: "The sale's order reference" })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  @Matches(/^[\x20-\x7E]+$/, { message: 'orderRef must be printable ASCII' })
  orderRef!: string;
}

export class CreateAdjustmentDto {
  @ApiProperty({ example: -50, description: 'Signed whole KES, not zero' })
  @IsInt()
  @Min(-MAX_AMOUNT)
  @Max(MAX_AMOUNT)
  amount!: number;

  @ApiProperty({ example: 'Lunch refunded by hand', minLength: 2, maxLength: 200 })
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason!: string;
}

export class DepositLimitsDto {
  @ApiProperty({ example: 10, description: 'Smallest deposit, whole KES' })
  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT)
  depositMin!: number;

  @ApiProperty({ example: 150000, description: 'Largest deposit, whole KES' })
  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT)
  depositMax!: number;
}
