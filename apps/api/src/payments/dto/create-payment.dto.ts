import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { MAX_AMOUNT } from '@malipo/daraja';

export class CreatePaymentDto {
  @ApiPropertyOptional({
    example: 'ORDER-1042',
    description:
      "The shop's order reference; one open payment per order. Exactly one of orderRef and accountId.",
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  @Matches(/^[\x20-\x7E]+$/, { message: 'orderRef must be printable ASCII' })
  orderRef?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      "A deposit into this customer account instead of an order's payment (its AccountReference is the account's code)",
  })
  @IsOptional()
  @IsUUID()
  accountId?: string;

  @ApiProperty({ example: 150, description: 'Whole Kenyan shillings, 1 to 250,000' })
  @IsInt({ message: 'amount must be a whole number of shillings' })
  @Min(1)
  @Max(MAX_AMOUNT)
  amount!: number;

  @ApiProperty({
    example: '0712345678',
    description: '07…, 01…, 7…, +2547…, 2547… (spaces and dashes allowed)',
  })
  @IsString()
  @MaxLength(20)
  phone!: string;

  @ApiPropertyOptional({
    example: 'Lunch',
    description: 'Shown to the customer (first 13 characters)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  description?: string;

  @ApiPropertyOptional({
    example: 'Wanjiru',
    description: "The cashier's name or id at the till (kept on the payment and in the audit log)",
    maxLength: 64,
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MaxLength(64)
  cashier?: string;

  @ApiPropertyOptional({ description: 'Needed only when the shop has several channels' })
  @IsOptional()
  @IsUUID()
  channelId?: string;

  @ApiPropertyOptional({
    description: 'Owner/ops keys may name the terminal; terminal keys use their own',
  })
  @IsOptional()
  @IsUUID()
  terminalId?: string;
}
