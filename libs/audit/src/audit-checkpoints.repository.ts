import { Inject, Injectable } from '@nestjs/common';
import { DRIZZLE, schema, type Db, type DbOrTx, type Tx } from '@malipo/db';
import { and, asc, desc, eq, gt, lt, lte, sql } from 'drizzle-orm';
import type { SignedCheckpoint } from './checkpoint';
import { PLATFORM_CHAIN_ID, type StoredAuditEntry } from './hash-chain';

const { auditCheckpoints, auditEntries } = schema;

type CheckpointRow = typeof auditCheckpoints.$inferSelect;
type EntryRow = typeof auditEntries.$inferSelect;

/** A chain whose head has moved past its last checkpoint. */
export interface DueChain {
  chainId: string;
  headSeq: number;
}

/** Keeps checkpoint writers of different replicas off the same chain (pg advisory lock space). */
const LOCK_NAMESPACE = 'malipo:audit-checkpoint:';

/** SQL for audit checkpoints and the audit entries they are taken over. */
@Injectable()
export class AuditCheckpointsRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Db) {}

  /**
   * Chains (every shop, and the platform) whose newest entry is `every` past their last
   * checkpoint, or past it at all while that checkpoint is older than `intervalMs` (a chain
   * with none counts as old). One index probe per chain on each table.
   */
  async dueChains(q: { every: number; intervalMs: number; limit: number }): Promise<DueChain[]> {
    const { rows } = await this.db.execute<{ chain_id: string; head_seq: string }>(sql`
      select c.chain_id, h.seq as head_seq
      from (select id as chain_id from tenants union all select ${PLATFORM_CHAIN_ID}::uuid) c
      cross join lateral (
        select e.seq from audit_entries e where e.chain_id = c.chain_id order by e.seq desc limit 1
      ) h
      left join lateral (
        select k.seq, k.at from audit_checkpoints k
        where k.chain_id = c.chain_id order by k.seq desc limit 1
      ) cp on true
      where h.seq >= coalesce(cp.seq, 0) + ${q.every}
         or (h.seq > coalesce(cp.seq, 0)
             and coalesce(cp.at, '-infinity') <= now() - make_interval(secs => ${q.intervalMs / 1000}))
      order by c.chain_id
      limit ${q.limit}`);
    return rows.map((r) => ({ chainId: r.chain_id, headSeq: Number(r.head_seq) }));
  }

  /**
   * Runs `work` in a transaction holding the chain's checkpoint lock, or returns undefined at once
   * when another replica holds it (it is doing this chain's checkpoint right now).
   */
  async withChainLock<T>(chainId: string, work: (tx: Tx) => Promise<T>): Promise<T | undefined> {
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.execute<{ locked: boolean }>(
        sql`select pg_try_advisory_xact_lock(hashtextextended(${LOCK_NAMESPACE + chainId}, 0)) as locked`,
      );
      return rows[0]?.locked ? work(tx) : undefined;
    });
  }

  async last(tx: DbOrTx, chainId: string): Promise<SignedCheckpoint | undefined> {
    const [row] = await tx
      .select()
      .from(auditCheckpoints)
      .where(eq(auditCheckpoints.chainId, chainId))
      .orderBy(desc(auditCheckpoints.seq))
      .limit(1);
    return row && toCheckpoint(row);
  }

  /** The newest checkpoint taken before `before` (what a report of a past day shows). */
  async lastBefore(chainId: string, before: Date): Promise<SignedCheckpoint | undefined> {
    const [row] = await this.db
      .select()
      .from(auditCheckpoints)
      .where(and(eq(auditCheckpoints.chainId, chainId), lt(auditCheckpoints.at, before)))
      .orderBy(desc(auditCheckpoints.seq))
      .limit(1);
    return row && toCheckpoint(row);
  }

  /** Every checkpoint of a chain, by seq (for the verifiers). */
  async list(chainId: string): Promise<SignedCheckpoint[]> {
    const rows = await this.db
      .select()
      .from(auditCheckpoints)
      .where(eq(auditCheckpoints.chainId, chainId))
      .orderBy(asc(auditCheckpoints.seq));
    return rows.map(toCheckpoint);
  }

  /** Entries after `afterSeq` up to `toSeq`, by seq, at most `limit`. */
  async entriesBetween(
    tx: DbOrTx,
    q: { chainId: string; afterSeq: number; toSeq: number; limit: number },
  ): Promise<StoredAuditEntry[]> {
    const rows = await tx
      .select()
      .from(auditEntries)
      .where(
        and(
          eq(auditEntries.chainId, q.chainId),
          gt(auditEntries.seq, q.afterSeq),
          lte(auditEntries.seq, q.toSeq),
        ),
      )
      .orderBy(asc(auditEntries.seq))
      .limit(q.limit);
    return rows.map(toStoredEntry);
  }

  /** False when this (chain, seq) is checkpointed already: inserting twice is a no-op. */
  async insert(tx: Tx, cp: SignedCheckpoint): Promise<boolean> {
    const inserted = await tx
      .insert(auditCheckpoints)
      .values({
        chainId: cp.chainId,
        seq: cp.seq,
        headHash: Buffer.from(cp.headHash, 'hex'),
        at: new Date(cp.at),
        keyId: cp.keyId,
        signature: Buffer.from(cp.signature, 'base64'),
      })
      .onConflictDoNothing()
      .returning({ seq: auditCheckpoints.seq });
    return inserted.length === 1;
  }
}

function toCheckpoint(row: CheckpointRow): SignedCheckpoint {
  return {
    chainId: row.chainId,
    seq: row.seq,
    headHash: row.headHash.toString('hex'),
    at: row.at.toISOString(),
    keyId: row.keyId,
    signature: row.signature.toString('base64'),
  };
}

/** An entry as the hash scheme sees it; jsonb comes back as the object that was hashed. */
function toStoredEntry(row: EntryRow): StoredAuditEntry {
  return {
    chainId: row.chainId,
    seq: row.seq,
    at: row.at.toISOString(),
    actor: row.actor as StoredAuditEntry['actor'],
    action: row.action,
    subject: row.subject as StoredAuditEntry['subject'],
    data: row.data as StoredAuditEntry['data'],
    leafHash: row.leafHash.toString('hex'),
    chainHash: row.chainHash.toString('hex'),
  };
}
