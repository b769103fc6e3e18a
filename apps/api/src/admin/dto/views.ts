import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ApiKeyRow, ChannelRow, TenantRow, TerminalRow } from '@malipo/db';

export class TenantView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() status!: string;
  @ApiProperty() isDemo!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static of(row: TenantRow): TenantView {
    return {
      id: row.id,
      name: row.name,
      status: row.status,
      isDemo: row.isDemo,
      createdAt: row.createdAt.toISOString(),
    };
  }
}

/** A channel without its secrets: passkey, consumer key and secret never leave the server. */
export class ChannelView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['paybill', 'till'] }) kind!: string;
  @ApiProperty() shortcode!: string;
  @ApiProperty() partyB!: string;
  @ApiProperty({ enum: ['sandbox', 'production', 'simulator'] }) environment!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) accountReference!: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) queryBudgetPerMinute!: number | null;
  @ApiProperty() confirmWithQuery!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) initiatorName!: string | null;
  @ApiProperty({ description: 'Initiator password and certificate are set (never returned)' })
  hasInitiatorCredentials!: boolean;
  @ApiPropertyOptional({ nullable: true, type: Number }) minAmount!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) maxAmount!: number | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' })
  c2bRegisteredAt!: string | null;
  @ApiProperty() status!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static of(row: ChannelRow): ChannelView {
    return {
      id: row.id,
      tenantId: row.tenantId,
      name: row.name,
      kind: row.kind,
      shortcode: row.shortcode,
      partyB: row.partyB,
      environment: row.environment,
      accountReference: row.accountReference,
      queryBudgetPerMinute: row.queryBudgetPerMinute,
      confirmWithQuery: row.confirmWithQuery,
      initiatorName: row.initiatorName,
      hasInitiatorCredentials: !!row.initiatorSealed && !!row.mpesaCertificatePem,
      minAmount: row.minAmount,
      maxAmount: row.maxAmount,
      c2bRegisteredAt: row.c2bRegisteredAt?.toISOString() ?? null,
      status: row.status,
      createdAt: row.createdAt.toISOString(),
    };
  }
}

export class TerminalView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() code!: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) channelId!: string | null;
  @ApiProperty() status!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  static of(row: TerminalRow): TerminalView {
    return {
      id: row.id,
      tenantId: row.tenantId,
      name: row.name,
      code: row.code,
      channelId: row.channelId,
      status: row.status,
      createdAt: row.createdAt.toISOString(),
    };
  }
}

/** A key as listed: its prefix only, never the key or its hash. */
export class ApiKeyView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) tenantId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'uuid' }) terminalId!: string | null;
  @ApiProperty({ enum: ['terminal', 'owner', 'ops'] }) role!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'mlp_owner_3fa9c1' }) prefix!: string;
  @ApiProperty() isDemo!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) revokedAt!:
    string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) lastUsedAt!:
    string | null;

  static of(row: ApiKeyRow): ApiKeyView {
    return {
      id: row.id,
      tenantId: row.tenantId,
      terminalId: row.terminalId,
      role: row.role,
      name: row.name,
      prefix: row.prefix,
      isDemo: row.isDemo,
      createdAt: row.createdAt.toISOString(),
      revokedAt: row.revokedAt?.toISOString() ?? null,
      lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    };
  }
}

export class CreatedApiKeyView extends ApiKeyView {
  @ApiProperty({ description: 'The key itself. Shown once: store it now.' }) key!: string;
}

export class ChannelTestView {
  @ApiProperty() ok!: boolean;
  @ApiPropertyOptional({ description: 'Which part of the credentials is wrong, when known' })
  reason?: string;
  @ApiPropertyOptional() message?: string;
}
