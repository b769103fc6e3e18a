import { Injectable } from '@nestjs/common';
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
    if (answer.kind === 'registered') {
      const row = await this.channels.updateSettings(tenantId, channelId, {
        c2bRegisteredAt: new Date(),
      });
      if (!row) throw new NotFoundError('Channel not found', 'CHANNEL.NOT_FOUND');
    }
    return answer;
  }
}
