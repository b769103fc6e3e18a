import { Injectable } from '@nestjs/common';
import { AuditLog } from '@malipo/audit';
import { AppConfig, NotFoundError, type TenantId } from '@malipo/common';
import { ChannelCredentialsReader, ChannelsRepository } from '@malipo/db';
import { ResultApiClient, type C2bRegistration } from '@malipo/daraja';
import { HOOK_PATHS, HookToken, hookUrl } from '../results/hook-token';

/**
 * Registers the channel's confirmation and validation URLs with Daraja (REFERENCE §7.2). The
 * token names the channel, so a confirmation is stored for the right shop before anything else.
 */
@Injectable()
export class C2bRegistrationService {
  constructor(
    private readonly channels: ChannelsRepository,
    private readonly reader: ChannelCredentialsReader,
    private readonly client: ResultApiClient,
    private readonly tokens: HookToken,
    private readonly config: AppConfig,
    private readonly audit: AuditLog,
  ) {}

  async register(
    tenantId: TenantId,
    channelId: string,
    responseType: 'Completed' | 'Cancelled',
  ): Promise<C2bRegistration> {
    const { channel, credentials } = await this.reader.credentialsFor(tenantId, channelId);
    const token = this.tokens.issue('c2b', { tenantId, subjectId: channel.id });
    const base = this.config.PUBLIC_BASE_URL;
    const answer = await this.client.registerC2bUrls(credentials, {
      confirmationUrl: hookUrl(base, HOOK_PATHS.c2bConfirmation, token),
      validationUrl: hookUrl(base, HOOK_PATHS.c2bValidation, token),
      responseType,
    });
    // Recorded whatever Daraja answered: asking it is itself an act on the shop's paybill.
    const record = {
      action: 'channel.c2b_registration',
      subject: { channelId: channel.id },
      data: {
        responseType,
        outcome: answer.kind,
        reason: 'reason' in answer ? answer.reason : null,
      },
    };
    await this.audit.db.transaction(async (tx) => {
      if (answer.kind === 'registered') {
        const patch = { c2bRegisteredAt: new Date() };
        const row = await this.channels.updateSettings(tenantId, channelId, patch, tx);
        if (!row) throw new NotFoundError('Channel not found', 'CHANNEL.NOT_FOUND');
      }
      await this.audit.append(tx, tenantId, record);
    });
    return answer;
  }
}
