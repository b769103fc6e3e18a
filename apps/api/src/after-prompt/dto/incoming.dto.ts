import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { IsInstant, IsNotAfter, maskPhonesInText } from '@malipo/common';
import type { IncomingPaymentRow } from '@malipo/payments';

const STATUSES = ['unmatched', 'matched', 'attached'] as const;

export class ListIncomingQuery {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: (typeof STATUSES)[number];
  @ApiPropertyOptional() @IsOptional() @IsUUID() channelId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20) receipt?: string;
  @ApiPropertyOptional({ description: 'Account reference the customer typed' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  billRef?: string;
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
  @ApiPropertyOptional({ description: 'id of the last row of the previous page' })
  @IsOptional()
  @IsUUID()
  after?: string;
}

export class AttachIncomingDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The payment to settle with this money' })
  @IsOptional()
  @IsUUID()
  paymentId?: string;

  @ApiPropertyOptional({
    description:
      'Or an order: its unpaid payment is settled, or one is created (then phone is needed)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  orderRef?: string;

  @ApiPropertyOptional({ description: "Customer's phone, for a payment created by the attach" })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  phone?: string;
}

export class RegisterC2bResult {
  @ApiProperty({ enum: ['registered', 'refused', 'unknown'] }) kind!: string;
  @ApiPropertyOptional() responseDescription?: string;
  @ApiPropertyOptional() reason?: string;
  @ApiPropertyOptional() message?: string;
}

export class IncomingPaymentView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) channelId!: string;
  @ApiProperty() receipt!: string;
  @ApiProperty() amount!: number;
  @ApiProperty({ description: 'Account reference the customer typed' }) billRef!: string;
  @ApiProperty({ description: 'As Safaricom sent it: masked or hashed' }) msisdn!: string;
  @ApiProperty() payerName!: string;
  @ApiProperty({ format: 'date-time' }) transactedAt!: string;
  @ApiProperty({ enum: ['c2b', 'pull'] }) source!: string;
  @ApiProperty({ enum: STATUSES }) status!: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) paymentId!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static of(r: IncomingPaymentRow): IncomingPaymentView {
    return {
      id: r.id,
      channelId: r.channelId,
      receipt: r.receipt,
      amount: r.amount,
      billRef: r.billRef,
      msisdn: maskPhonesInText(r.msisdn),
      payerName: r.payerName,
      transactedAt: r.transactedAt.toISOString(),
      source: r.source,
      status: r.status,
      paymentId: r.paymentId,
      createdAt: r.createdAt.toISOString(),
    };
  }
}
