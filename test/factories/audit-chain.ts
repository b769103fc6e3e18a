import { randomUUID } from 'node:crypto';
import {
  chainHash,
  genesisHash,
  leafHash,
  type AuditEntryContent,
  type StoredAuditEntry,
} from '@malipo/audit';
import { schema, type Db } from '@malipo/db';

/**
 * A chain of `count` valid audit entries, built with the real hash scheme. Stands in for the
 * writers (another branch) in checkpoint tests: entries go straight into audit_entries.
 */
export function anAuditChain(
  chainId: string,
  count: number,
  opts: { fromSeq?: number; previousHead?: string; at?: Date } = {},
): StoredAuditEntry[] {
  const fromSeq = opts.fromSeq ?? 1;
  let previous = opts.previousHead ? Buffer.from(opts.previousHead, 'hex') : genesisHash(chainId);
  const at = (opts.at ?? new Date()).toISOString();
  return Array.from({ length: count }, (_, i) => {
    const content: AuditEntryContent = {
      chainId,
      seq: fromSeq + i,
      at,
      actor: { keyId: randomUUID(), role: 'owner' },
      action: 'payment.created',
      subject: { paymentId: randomUUID() },
      data: { amount: 100 + i },
    };
    const leaf = leafHash(content);
    previous = chainHash(previous, leaf);
    return { ...content, leafHash: leaf.toString('hex'), chainHash: previous.toString('hex') };
  });
}

/** Stores entries as a writer would (the head on tenants is not needed by checkpoints). */
export async function insertAuditEntries(db: Db, entries: StoredAuditEntry[]): Promise<void> {
  if (!entries.length) return;
  await db.insert(schema.auditEntries).values(
    entries.map((e) => ({
      chainId: e.chainId,
      seq: e.seq,
      at: new Date(e.at),
      actor: e.actor,
      action: e.action,
      subject: e.subject,
      data: e.data,
      leafHash: Buffer.from(e.leafHash, 'hex'),
      chainHash: Buffer.from(e.chainHash, 'hex'),
    })),
  );
}

/** Appends `count` more entries to a chain that already holds `entries`. */
export function extendAuditChain(
  entries: StoredAuditEntry[],
  chainId: string,
  count: number,
): StoredAuditEntry[] {
  const last = entries[entries.length - 1];
  return anAuditChain(chainId, count, {
    fromSeq: (last?.seq ?? 0) + 1,
    previousHead: last?.chainHash,
  });
}
