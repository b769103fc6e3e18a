import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { Role } from './principal';

export class SignInDto {
  @ApiProperty({ description: 'The API key to exchange for a console session', minLength: 1 })
  @IsString()
  @Length(1, 256)
  apiKey!: string;
}

export class SessionView {
  @ApiProperty({ enum: ['terminal', 'owner', 'ops'] }) role!: Role;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) tenantId!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) terminalId!: string | null;
  @ApiProperty({ type: String, nullable: true }) shopName!: string | null;
  @ApiProperty({ type: String, nullable: true }) terminalName!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Send as x-csrf-token with every write made with the session cookie',
  })
  csrfToken!: string | null;
}
