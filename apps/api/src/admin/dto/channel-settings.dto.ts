import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export class SetInitiatorDto {
  @ApiProperty({ example: 'testapi', description: 'API operator (initiator) username' })
  @IsString()
  @Length(1, 64)
  initiatorName!: string;

  @ApiProperty({ writeOnly: true, description: 'Initiator password; sealed, never returned' })
  @IsString()
  @Length(1, 128)
  initiatorPassword!: string;

  @ApiProperty({ writeOnly: true, description: "Safaricom's M-Pesa public certificate (PEM)" })
  @IsString()
  @Length(64, 16_384)
  certificatePem!: string;
}

export class ChannelLimitsDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 250_000, nullable: true, type: Number })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(250_000)
  minAmount?: number | null;

  @ApiPropertyOptional({ minimum: 1, maximum: 250_000, nullable: true, type: Number })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(250_000)
  maxAmount?: number | null;
}

export class RegisterC2bDto {
  @ApiPropertyOptional({
    enum: ['Completed', 'Cancelled'],
    default: 'Completed',
    description: 'What Daraja does when our validation URL does not answer in time',
  })
  @IsOptional()
  @IsIn(['Completed', 'Cancelled'])
  responseType?: 'Completed' | 'Cancelled';
}
