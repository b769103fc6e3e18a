import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { IsInstant, IsNotAfter } from '@malipo/common';
import { PAYMENT_STATUSES, type PaymentStatus } from '@malipo/payments';

export class ListPaymentsQuery {
  @ApiPropertyOptional({ enum: PAYMENT_STATUSES })
  @IsOptional()
  @IsIn(PAYMENT_STATUSES)
  status?: PaymentStatus;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) orderRef?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20) phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20) receipt?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() terminalId?: string;
  @ApiPropertyOptional({ description: 'ISO date-time, inclusive', format: 'date-time' })
  @IsOptional()
  @IsInstant()
  @IsNotAfter('to')
  from?: Date;
  @ApiPropertyOptional({ description: 'ISO date-time, exclusive', format: 'date-time' })
  @IsOptional()
  @IsInstant()
  to?: Date;
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

export class CancelPaymentDto {
  @ApiPropertyOptional({ example: 'Customer paid cash' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reason?: string;
}
