import { Inject, Injectable } from '@nestjs/common';
import { DRIZZLE, schema, type Db } from '@malipo/db';
import { and, asc, eq, gt } from 'drizzle-orm';
import { checkpointLine, entryLine, headLine } from './audit-export';
import type { SignedCheckpoint } from './checkpoint';
import { PLATFORM_CHAIN_ID, type AuditJson, type StoredAuditEntry } from './hash-chain';

const { auditEntries, tenants, auditPlatformHead } = schema;
type EntryRow = typeof auditEntries.$inferSelect;

type JsonObject = { [key: string]: AuditJson };

/** A stored row as the hash scheme sees it (jsonb columns are JSON objects, hashes hex). */
export function toStoredEntry(row: EntryRow): StoredAuditEntry {
  return {
    chainId: row.chainId,
    seq: Number(row.seq),
    at: row.at.toISOString(),
    actor: row.actor as JsonObject,
    action: row.action,
    subject: row.subject as JsonObject,
    data: row.data as JsonObject,
    leafHash: row.leafHash.toString('hex'),
    chainHash: row.chainHash.toString('hex'),
  };
}

/** What the chain's head row says: its last sequence number and hash (null at genesis). */
export interface ChainHead {
  seq: number;
  head: string | null;
}

/** Reads of the audit log; writes go through AuditLog (and the payment event statement). */
@Injectable()
export class AuditRepository {
  constructor(@Inject(DRIZZLE) readonly db: Db) {}

  /** Entries of one chain after `afterSeq`, in sequence order. */
  async page(chainId: string, afterSeq: number, limit: number): Promise<StoredAuditEntry[]> {
    const rows = await this.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.chainId, chainId), gt(auditEntries.seq, afterSeq)))
      .orderBy(asc(auditEntries.seq))
      .limit(limit);
    return rows.map(toStoredEntry);
  }

  /** Undefined for a shop that does not exist. */
  async head(chainId: string): Promise<ChainHead | undefined> {
    const [row] =
      chainId === PLATFORM_CHAIN_ID
        ? await this.db
            .select({ seq: auditPlatformHead.auditSeq, head: auditPlatformHead.auditHead })
            .from(auditPlatformHead)
        : await this.db
            .select({ seq: tenants.auditSeq, head: tenants.auditHead })
            .from(tenants)
            .where(eq(tenants.id, chainId));
    if (!row) return undefined;
    return { seq: Number(row.seq), head: row.head ? row.head.toString('hex') : null };
  }

  /**
   * The chain as export lines (audit-export.ts), a page at a time, up to the head read first (an
   * entry commits with its head, so every entry up to it is there; later ones are left out),
   * the head's line last.
   */
  /** The chain's export: its entries, its head, then its signed checkpoints (audit-export.ts). */
  async *exportLines(
    chainId: string,
    checkpoints: readonly SignedCheckpoint[] = [],
    pageSize = 1000,
  ): AsyncGenerator<string> {
    const head = await this.head(chainId);
    if (!head) return;
    let after = 0;
    while (after < head.seq) {
      const page = await this.page(chainId, after, Math.min(pageSize, head.seq - after));
      for (const entry of page) yield entryLine(entry);
      if (page.length === 0) break;
      after = page[page.length - 1].seq;
    }
    yield headLine(chainId, head.seq, head.head);
    for (const cp of checkpoints) yield checkpointLine(cp);
  }

  async shopIds(): Promise<string[]> {
    const rows = await this.db.select({ id: tenants.id }).from(tenants).orderBy(asc(tenants.id));
    return rows.map((r) => r.id);
  }
}
