import { Inject, Injectable } from '@nestjs/common';
import type { TenantId } from '@malipo/common';
import { DRIZZLE, type Db } from '@malipo/db';
import { sql } from 'drizzle-orm';

export interface BalanceMismatch {
  accountId: string;
  balance: number;
  sumOfEntries: number;
}

export interface PostingMismatch {
  paymentId: string;
  status: string;
  deposits: number;
  reversals: number;
}

export interface UnbalancedJournal {
  journalId: string;
  sum: number;
  entries: number;
}

const num = (v: unknown) => Number(v);

/** The nightly ledger check's reads: each returns only what is wrong. */
@Injectable()
export class LedgerCheckRepository {
  constructor(@Inject(DRIZZLE) readonly db: Db) {}

  /** The shops that hold at least one customer account: the only ones with a ledger to check. */
  async shopsWithAccounts(): Promise<TenantId[]> {
    const { rows } = await this.db.execute(sql`select distinct tenant_id from accounts`);
    return rows.map((r) => String(r.tenant_id) as TenantId);
  }

  async balanceMismatches(tenantId: TenantId): Promise<BalanceMismatch[]> {
    const { rows } = await this.db.execute(sql`
      select a.id, a.balance, coalesce(s.total, 0) as total from accounts a
      left join lateral (select sum(e.amount) as total from ledger_entries e
        where e.account_id = a.id) s on true
      where a.tenant_id = ${tenantId} and a.balance <> coalesce(s.total, 0)`);
    return rows.map((r) => ({
      accountId: String(r.id),
      balance: num(r.balance),
      sumOfEntries: num(r.total),
    }));
  }

  /** A succeeded deposit has exactly one deposit journal; a reversed one also one reversal. */
  async postingMismatches(tenantId: TenantId): Promise<PostingMismatch[]> {
    const { rows } = await this.db.execute(sql`
      select p.id, p.status,
        count(j.id) filter (where j.kind = 'deposit') as deposits,
        count(j.id) filter (where j.kind = 'reversal') as reversals
      from payments p left join ledger_journals j on j.payment_id = p.id
      where p.tenant_id = ${tenantId} and p.account_id is not null
      group by p.id, p.status
      having count(j.id) filter (where j.kind = 'deposit')
          <> (case when p.status in ('succeeded', 'reversed') then 1 else 0 end)
        or count(j.id) filter (where j.kind = 'reversal')
          <> (case when p.status = 'reversed' then 1 else 0 end)`);
    return rows.map((r) => ({
      paymentId: String(r.id),
      status: String(r.status),
      deposits: num(r.deposits),
      reversals: num(r.reversals),
    }));
  }

  async unbalancedJournals(tenantId: TenantId): Promise<UnbalancedJournal[]> {
    const { rows } = await this.db.execute(sql`
      select j.id, coalesce(sum(e.amount), 0) as total, count(e.id) as entries
      from ledger_journals j left join ledger_entries e on e.journal_id = j.id
      where j.tenant_id = ${tenantId}
      group by j.id
      having coalesce(sum(e.amount), 0) <> 0 or count(e.id) < 2`);
    return rows.map((r) => ({
      journalId: String(r.id),
      sum: num(r.total),
      entries: num(r.entries),
    }));
  }
}
