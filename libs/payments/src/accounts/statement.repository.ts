import { Inject, Injectable } from '@nestjs/common';
import type { TenantId } from '@malipo/common';
import { DRIZZLE, schema, type Db } from '@malipo/db';
import { and, desc, eq, inArray, lt } from 'drizzle-orm';
import { statementTypeOf, type StatementType } from './ledger-rules';

const { ledgerEntries: e, ledgerJournals: j } = schema;

/** One line of an account's statement. */
export interface StatementEntry {
  id: string;
  type: StatementType;
  /** Signed: + credits the balance, - debits it. */
  amount: number;
  balanceBefore: number;
  balanceAfter: number;
  paymentId: string | null;
  orderRef: string | null;
  receipt: string | null;
  journalId: string;
  at: string;
}

type EntryJoin = {
  id: number;
  kind: string;
  amount: number;
  balanceBefore: number | null;
  balanceAfter: number | null;
  paymentId: string | null;
  orderRef: string | null;
  receipt: string | null;
  journalId: string;
  at: Date;
};

export function toStatementEntry(r: EntryJoin): StatementEntry {
  return {
    id: String(r.id),
    type: statementTypeOf(r.kind),
    amount: r.amount,
    balanceBefore: r.balanceBefore ?? 0,
    balanceAfter: r.balanceAfter ?? 0,
    paymentId: r.paymentId,
    orderRef: r.orderRef,
    receipt: r.receipt,
    journalId: r.journalId,
    at: r.at.toISOString(),
  };
}

const columns = {
  id: e.id,
  kind: j.kind,
  amount: e.amount,
  balanceBefore: e.balanceBefore,
  balanceAfter: e.balanceAfter,
  paymentId: j.paymentId,
  orderRef: j.orderRef,
  receipt: j.receipt,
  journalId: j.id,
  at: e.createdAt,
};

/** Reads of the ledger: statements and the journals webhooks describe. */
@Injectable()
export class StatementRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Db) {}

  /**
   * The account's entries, newest first. Entry ids of one account grow in commit order (its row
   * lock serialises its postings), so the id is a stable cursor.
   */
  async page(
    tenantId: TenantId,
    accountId: string,
    q: { beforeId?: number; limit: number },
  ): Promise<StatementEntry[]> {
    const conditions = [eq(e.tenantId, tenantId), eq(e.accountId, accountId)];
    if (q.beforeId !== undefined) conditions.push(lt(e.id, q.beforeId));
    const rows = await this.db
      .select(columns)
      .from(e)
      .innerJoin(j, eq(j.id, e.journalId))
      .where(and(...conditions))
      .orderBy(desc(e.id))
      .limit(q.limit);
    return rows.map(toStatementEntry);
  }

  /** The customer entries of these journals (a webhook batch). */
  async byJournals(
    tenantId: string,
    journalIds: string[],
  ): Promise<(StatementEntry & { accountId: string })[]> {
    if (!journalIds.length) return [];
    const rows = await this.db
      .select({ ...columns, accountId: j.accountId })
      .from(e)
      .innerJoin(j, eq(j.id, e.journalId))
      .where(and(eq(e.tenantId, tenantId), inArray(e.journalId, journalIds)))
      .orderBy(e.id);
    return rows
      .filter((r) => r.balanceAfter !== null)
      .map((r) => ({ ...toStatementEntry(r), accountId: r.accountId }));
  }
}
