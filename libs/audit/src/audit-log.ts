import { Inject, Injectable } from '@nestjs/common';
import { DRIZZLE, StatementCache, pgClientOf, type Db, type DbOrTx } from '@malipo/db';
import { currentActor, type Actor } from './actor';
import { AUDIT_PARAM_COUNT, auditSqlParts, auditValues, type AuditRecord } from './audit-sql';
import { PLATFORM_CHAIN_ID } from './hash-chain';

const statements = new StatementCache('audit');
const parts = auditSqlParts(2);

const SHOP_APPEND = `with s as (
    update tenants set ${parts.advanceHead('id::text')}
    where id = $1 returning audit_seq, audit_head)
  ${parts.insertFrom('$1::uuid', 's')}
  returning seq`;

const PLATFORM_APPEND = `with s as (
    update audit_platform_head set ${parts.advanceHead('$1::text')}
    where id returning audit_seq, audit_head)
  ${parts.insertFrom('$1::uuid', 's')}
  returning seq`;

/**
 * Appends audit entries for changes other than payment events (those are written by the
 * statement that writes the event, PaymentsRepository). Call it inside the change's own
 * transaction, as late as possible: it locks the chain head's row (the shop's tenants row, which
 * payment events lock too, or the platform head) until commit, so entries are numbered in commit
 * order with no gaps.
 */
@Injectable()
export class AuditLog {
  constructor(@Inject(DRIZZLE) readonly db: Db) {}

  /** One statement: the head advances and the entry is inserted. Returns the entry's seq. */
  async append(
    tx: DbOrTx,
    chainId: string,
    record: AuditRecord,
    actor: Actor = currentActor(),
  ): Promise<number> {
    const seq = await this.appendToExisting(tx, chainId, record, actor);
    if (seq === undefined) throw new Error(`no audit chain head for ${chainId}`);
    return seq;
  }

  /** `append`, or nothing (undefined) when no such shop exists: there is no chain to extend. */
  async appendToExisting(
    tx: DbOrTx,
    chainId: string,
    record: AuditRecord,
    actor: Actor = currentActor(),
  ): Promise<number | undefined> {
    const platform = chainId === PLATFORM_CHAIN_ID;
    const statement = platform
      ? statements.get('platform-append', () => PLATFORM_APPEND)
      : statements.get('shop-append', () => SHOP_APPEND);
    const values = [chainId, ...auditValues(chainId, record, actor)];
    if (values.length !== AUDIT_PARAM_COUNT + 1) throw new Error('audit parameters out of step');
    const { rows } = await pgClientOf(tx).query<{ seq: string }>({ ...statement, values });
    return rows[0] ? Number(rows[0].seq) : undefined;
  }

  /** `append` in a transaction of its own (a read by an operator, an export: nothing else changes). */
  async appendAlone(chainId: string, record: AuditRecord, actor?: Actor): Promise<number> {
    return this.db.transaction((tx) => this.append(tx, chainId, record, actor));
  }
}
