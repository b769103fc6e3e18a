import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';

export class SettlePaymentDto {
  @ApiProperty({ enum: ['paid', 'not_paid'] })
  @IsIn(['paid', 'not_paid'])
  outcome!: 'paid' | 'not_paid';

  @ApiPropertyOptional({
    example: 'TKL2M3N4P5',
    description: 'M-Pesa receipt from the statement or the customer; required when paid',
  })
  @ValidateIf((o: SettlePaymentDto) => o.outcome === 'paid')
  @IsString()
  @Matches(/^[A-Za-z0-9]{10}$/, { message: 'receipt must be 10 letters or digits' })
  receipt?: string;

  @ApiProperty({ example: 'Found on the statement of 28 Nov, 14:02' })
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  note!: string;
}
