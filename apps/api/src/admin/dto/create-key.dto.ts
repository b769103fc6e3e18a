import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, IsUUID, Length, ValidateIf } from 'class-validator';

export class CreateKeyDto {
  @ApiProperty({
    enum: ['terminal', 'owner', 'ops'],
    description: 'owner keys may create terminal and owner keys; only ops keys create ops keys',
  })
  @IsIn(['terminal', 'owner', 'ops'])
  role!: 'terminal' | 'owner' | 'ops';

  @ApiProperty({ example: 'Till 1 tablet', minLength: 1, maxLength: 120 })
  @IsString()
  @Length(1, 120)
  name!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Required for (and only for) terminal keys' })
  @ValidateIf((o: CreateKeyDto) => o.role === 'terminal' || o.terminalId !== undefined)
  @IsUUID()
  terminalId?: string;
}
