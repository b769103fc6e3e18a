import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';

export class UpdateChannelDto {
  @ApiProperty({ description: 'Count a success callback only once STK Query confirms it' })
  @IsBoolean()
  confirmWithQuery!: boolean;
}
