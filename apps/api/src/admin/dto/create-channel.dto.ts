import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';

const SHORTCODE = /^\d{5,8}$/;

export class CreateChannelDto {
  @ApiProperty({ example: 'Main paybill', minLength: 1, maxLength: 120 })
  @IsString()
  @Length(1, 120)
  name!: string;

  @ApiProperty({ enum: ['paybill', 'till'] })
  @IsIn(['paybill', 'till'])
  kind!: 'paybill' | 'till';

  @ApiProperty({
    example: '174379',
    description: 'Paybill number, or for a till the store number (BusinessShortCode)',
  })
  @Matches(SHORTCODE, { message: 'shortcode must be 5 to 8 digits' })
  shortcode!: string;

  @ApiPropertyOptional({
    example: '174379',
    description:
      'Till number (PartyB). Required for till; for paybill omit it or repeat shortcode.',
  })
  @ValidateIf((o: CreateChannelDto) => o.kind === 'till' || o.partyB !== undefined)
  @Matches(SHORTCODE, { message: 'partyB must be 5 to 8 digits' })
  partyB?: string;

  @ApiProperty({ enum: ['sandbox', 'production', 'simulator'] })
  @IsIn(['sandbox', 'production', 'simulator'])
  environment!: 'sandbox' | 'production' | 'simulator';

  @ApiProperty({ writeOnly: true, description: 'Lipa Na M-Pesa Online passkey; never returned' })
  @IsString()
  @Length(1, 512)
  passkey!: string;

  @ApiProperty({ writeOnly: true, description: 'Daraja app consumer key; never returned' })
  @IsString()
  @Length(1, 512)
  consumerKey!: string;

  @ApiProperty({ writeOnly: true, description: 'Daraja app consumer secret; never returned' })
  @IsString()
  @Length(1, 512)
  consumerSecret!: string;

  @ApiPropertyOptional({
    maxLength: 12,
    description: 'AccountReference sent with pushes (Daraja allows up to 12 characters)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 12)
  accountReference?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 600, description: 'STK Query calls per minute' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(600)
  queryBudgetPerMinute?: number;

  @ApiPropertyOptional({
    default: false,
    description:
      'Count a success callback only once STK Query confirms it (defends against forged callbacks; one query per payment)',
  })
  @IsOptional()
  @IsBoolean()
  confirmWithQuery?: boolean;

  @ApiPropertyOptional({
    example: 'testapi',
    description: 'API operator (initiator) for reversals and Transaction Status; not the shortcode',
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  initiatorName?: string;

  @ApiPropertyOptional({
    writeOnly: true,
    description: 'Initiator password; sealed, never returned',
  })
  @IsOptional()
  @IsString()
  @Length(1, 128)
  initiatorPassword?: string;

  @ApiPropertyOptional({
    writeOnly: true,
    description:
      "Safaricom's M-Pesa public certificate (PEM) for SecurityCredential; never returned",
  })
  @IsOptional()
  @IsString()
  @Length(64, 16_384)
  certificatePem?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 250_000, description: 'Smallest amount accepted' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(250_000)
  minAmount?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 250_000, description: 'Largest amount accepted' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(250_000)
  maxAmount?: number;
}
