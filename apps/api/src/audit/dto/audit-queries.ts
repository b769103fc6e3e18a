import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';

export class AuditShopQuery {
  @ApiPropertyOptional({
    description: 'Ops only: the shop whose log to read (audited as ops.read)',
  })
  @IsOptional()
  @IsUUID()
  shopId?: string;
}

export class ListAuditQuery extends AuditShopQuery {
  @ApiPropertyOptional({ default: 100, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit = 100;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page (entries after this seq)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  cursor?: number;
}

export class AuditEntryView {
  @ApiProperty() seq!: number;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) actor!: Record<string, unknown>;
  @ApiProperty({ example: 'payment.paid' }) action!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) subject!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
  @ApiProperty({ description: 'SHA-256 (hex) of the RFC 8785 JSON of the entry' })
  leafHash!: string;
  @ApiProperty({ description: 'SHA-256 (hex) of the previous chain hash and this leaf' })
  chainHash!: string;
}

export class AuditPageView {
  @ApiProperty({ type: [AuditEntryView] }) data!: AuditEntryView[];
  @ApiProperty({ type: Number, nullable: true }) nextCursor!: number | null;
}

export class AuditVerdictView {
  @ApiProperty() valid!: boolean;
  @ApiProperty() checked!: number;
  @ApiProperty({ type: Number, nullable: true }) firstBadSeq!: number | null;
  @ApiProperty({ description: 'Signed checkpoints whose signature and head both verified' })
  checkpoints!: number;
}
