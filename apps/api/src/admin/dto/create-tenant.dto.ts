import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class CreateTenantDto {
  @ApiProperty({ example: 'Duka la Mama Njeri', minLength: 1, maxLength: 120 })
  @IsString()
  @Length(1, 120)
  name!: string;
}
