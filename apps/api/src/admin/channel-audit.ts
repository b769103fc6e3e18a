import type { AuditRecord } from '@malipo/audit';
import type { ChannelRow } from '@malipo/db';

/**
 * A channel's audit record: what it is and how it is set, never its secrets (passkey, consumer
 * key and secret, initiator password, or their sealed forms).
 */
export const channelRecord = (action: string, row: ChannelRow): AuditRecord => ({
  action,
  subject: { channelId: row.id },
  data: {
    name: row.name,
    kind: row.kind,
    shortcode: row.shortcode,
    partyB: row.partyB,
    environment: row.environment,
    status: row.status,
    confirmWithQuery: row.confirmWithQuery,
    minAmount: row.minAmount,
    maxAmount: row.maxAmount,
    initiatorName: row.initiatorName,
  },
});
