import { Injectable } from '@nestjs/common';
import { AppConfig, NotFoundError, SecretBox, type TenantId } from '@malipo/common';
import { ChannelsRepository } from './channels.repository';
import type {
  ChannelCredentials,
  ChannelEnvironment,
  ChannelRow,
  ChannelSecrets,
  InitiatorSecrets,
} from './tenancy.types';

const DARAJA_BASE_URL: Record<Exclude<ChannelEnvironment, 'simulator'>, string> = {
  sandbox: 'https://sandbox.safaricom.co.ke',
  production: 'https://api.safaricom.co.ke',
};

export function darajaBaseUrl(environment: ChannelEnvironment, simulatorUrl: string): string {
  return environment === 'simulator' ? simulatorUrl : DARAJA_BASE_URL[environment];
}

/** Opens a channel's sealed secrets for the Daraja client (api and worker). */
@Injectable()
export class ChannelCredentialsReader {
  constructor(
    private readonly channels: ChannelsRepository,
    private readonly box: SecretBox,
    private readonly config: AppConfig,
  ) {}

  async credentialsFor(
    tenantId: TenantId,
    channelId: string,
  ): Promise<{ channel: ChannelRow; credentials: ChannelCredentials }> {
    const channel = await this.channels.findById(tenantId, channelId);
    if (!channel) throw new NotFoundError('Channel not found', 'CHANNEL.NOT_FOUND');
    return { channel, credentials: this.open(channel) };
  }

  /** The channel's API operator for the result-based APIs; undefined when not configured. */
  initiatorFor(channel: ChannelRow): InitiatorSecrets | undefined {
    if (!channel.initiatorName || !channel.initiatorSealed || !channel.mpesaCertificatePem) {
      return undefined;
    }
    const { initiatorPassword } = this.box.open<{ initiatorPassword: string }>(
      channel.initiatorSealed,
    );
    return {
      initiatorName: channel.initiatorName,
      initiatorPassword,
      certificatePem: channel.mpesaCertificatePem,
    };
  }

  open(channel: ChannelRow): ChannelCredentials {
    const secrets = this.box.open<ChannelSecrets>(channel.secretsSealed);
    return {
      baseUrl: darajaBaseUrl(channel.environment, this.config.DARAJA_SIM_URL),
      kind: channel.kind,
      shortcode: channel.shortcode,
      partyB: channel.partyB,
      passkey: secrets.passkey,
      consumerKey: secrets.consumerKey,
      consumerSecret: secrets.consumerSecret,
    };
  }
}
