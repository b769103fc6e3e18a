import type { channels, apiKeys, tenants, terminals } from '../schema/tenancy';

export type TenantRow = typeof tenants.$inferSelect;
export type ChannelRow = typeof channels.$inferSelect;
export type TerminalRow = typeof terminals.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;

export type ChannelKind = ChannelRow['kind'];
export type ChannelEnvironment = ChannelRow['environment'];
export type ApiKeyRole = ApiKeyRow['role'];

/** The secrets sealed in `channels.secrets_sealed`. */
export interface ChannelSecrets {
  passkey: string;
  consumerKey: string;
  consumerSecret: string;
}

/** What a Daraja client needs to talk for one channel (same shape as `DarajaCredentials`). */
export interface ChannelCredentials extends ChannelSecrets {
  baseUrl: string;
  kind: ChannelKind;
  shortcode: string;
  partyB: string;
}

/** The initiator of a channel, opened (same shape as `InitiatorCredentials` of @malipo/daraja). */
export interface InitiatorSecrets {
  initiatorName: string;
  initiatorPassword: string;
  certificatePem: string;
}
