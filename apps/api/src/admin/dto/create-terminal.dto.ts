import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';

export class CreateTerminalDto {
  @ApiProperty({ example: 'Front counter', minLength: 1, maxLength: 120 })
  @IsString()
  @Length(1, 120)
  name!: string;

  @ApiProperty({ example: 'till-1', description: 'Unique within the tenant' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
    message: 'code must be 1 to 64 letters, digits, dots, dashes or underscores',
  })
  code!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Channel this terminal takes payments on' })
  @IsOptional()
  @IsUUID()
  channelId?: string;
}
