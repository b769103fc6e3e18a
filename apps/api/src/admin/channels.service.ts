import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  AppConfig,
  NotFoundError,
  SecretBox,
  ValidationError,
  type TenantId,
} from '@malipo/common';
import {
  ChannelCredentialsReader,
  ChannelDirectory,
  ChannelsRepository,
  type ChannelCredentials,
  type ChannelRow,
  type ChannelSecrets,
} from '@malipo/db';
import { AuditLog } from '@malipo/audit';
import { channelRecord } from './channel-audit';
import { DarajaClient, type CredentialCheck } from '@malipo/daraja';
import type { CreateChannelDto } from './dto/create-channel.dto';
import { checkLimits, sealInitiator } from './channel-initiator';
import { TenantsService } from './tenants.service';

export function credentialFingerprint(consumerKey: string): string {
  return createHash('sha256').update(consumerKey, 'utf8').digest('hex');
}

@Injectable()
export class ChannelsService {
  constructor(
    private readonly channels: ChannelsRepository,
    private readonly reader: ChannelCredentialsReader,
    private readonly tenants: TenantsService,
    private readonly box: SecretBox,
    private readonly config: AppConfig,
    private readonly daraja: DarajaClient,
    private readonly directory: ChannelDirectory,
    private readonly audit: AuditLog,
  ) {}

  async create(tenantId: TenantId, dto: CreateChannelDto): Promise<ChannelRow> {
    const partyB = this.partyBOf(dto);
    if (dto.environment === 'simulator' && this.config.NODE_ENV === 'production') {
      throw new ValidationError('simulator channels are not allowed in production', {
        field: 'environment',
      });
    }
    await this.tenants.require(tenantId);
    const secrets: ChannelSecrets = {
      passkey: dto.passkey,
      consumerKey: dto.consumerKey,
      consumerSecret: dto.consumerSecret,
    };
    const { sealed, keyId } = this.box.seal(secrets);
    checkLimits(dto.minAmount, dto.maxAmount);
    const created = await this.audit.db.transaction(async (tx) => {
      const row = await this.channels.create(
        tenantId,
        {
          ...sealInitiator(this.box, dto),
          minAmount: dto.minAmount ?? null,
          maxAmount: dto.maxAmount ?? null,
          name: dto.name,
          kind: dto.kind,
          shortcode: dto.shortcode,
          partyB,
          environment: dto.environment,
          secretsSealed: sealed,
          secretsKeyId: keyId,
          credentialFingerprint: credentialFingerprint(dto.consumerKey),
          accountReference: dto.accountReference ?? null,
          queryBudgetPerMinute: dto.queryBudgetPerMinute ?? null,
          confirmWithQuery: dto.confirmWithQuery ?? false,
        },
        tx,
      );
      await this.audit.append(tx, tenantId, channelRecord('channel.created', row));
      return row;
    });
    // A second active channel makes channelId required at initiation: not after a cache's TTL.
    this.directory.forget(tenantId);
    return created;
  }

  list(tenantId: TenantId): Promise<ChannelRow[]> {
    return this.channels.list(tenantId);
  }

  async get(tenantId: TenantId, channelId: string): Promise<ChannelRow> {
    const channel = await this.channels.findById(tenantId, channelId);
    if (!channel) throw new NotFoundError('Channel not found', 'CHANNEL.NOT_FOUND');
    return channel;
  }

  async setConfirmWithQuery(
    tenantId: TenantId,
    channelId: string,
    value: boolean,
  ): Promise<ChannelRow> {
    const channel = await this.audit.db.transaction(async (tx) => {
      const row = await this.channels.setConfirmWithQuery(tenantId, channelId, value, tx);
      if (row) await this.audit.append(tx, tenantId, channelRecord('channel.updated', row));
      return row;
    });
    this.directory.forget(tenantId);
    if (!channel) throw new NotFoundError('Channel not found', 'CHANNEL.NOT_FOUND');
    return channel;
  }

  /** The channel with its secrets opened, for the Daraja client. NotFound for another tenant's. */
  credentialsFor(
    tenantId: TenantId,
    channelId: string,
  ): Promise<{ channel: ChannelRow; credentials: ChannelCredentials }> {
    return this.reader.credentialsFor(tenantId, channelId);
  }

  /**
   * Checks consumer key and secret by fetching an OAuth token. The passkey cannot be checked this
   * way: Daraja only uses it inside an STK push.
   */
  async test(tenantId: TenantId, channelId: string): Promise<CredentialCheck> {
    const { credentials } = await this.reader.credentialsFor(tenantId, channelId);
    const check = await this.daraja.checkCredentials(credentials);
    await this.audit.appendAlone(tenantId, {
      action: 'channel.tested',
      subject: { channelId },
      data: { ok: check.ok, reason: 'reason' in check ? String(check.reason) : null },
    });
    return check;
  }

  /** The tenant's only active channel; with none or several the caller must name one. */
  async defaultChannelFor(tenantId: TenantId): Promise<ChannelRow> {
    const active = await this.channels.listActive(tenantId);
    if (active.length === 1) return active[0];
    throw new ValidationError(
      active.length
        ? 'channelId is required: this tenant has several channels'
        : 'This tenant has no active channel',
      { field: 'channelId' },
      'CHANNEL.REQUIRED',
    );
  }

  /** Paybill: BusinessShortCode = PartyB. Till: BusinessShortCode = store number, PartyB = till. */
  private partyBOf(dto: CreateChannelDto): string {
    if (dto.kind === 'till') return dto.partyB as string;
    if (dto.partyB !== undefined && dto.partyB !== dto.shortcode) {
      throw new ValidationError('partyB must equal shortcode for a paybill', { field: 'partyB' });
    }
    return dto.shortcode;
  }
}
