import { Injectable } from '@nestjs/common';
import type { TenantId } from '@malipo/common';
import { StatementCache, pgClientOf, type DbOrTx } from '@malipo/db';
import { randomUUID } from 'node:crypto';
import { sumOf, type JournalKind, type JournalPlan } from './ledger-rules';

const statements = new StatementCache('ledger');

/** Where a journal came from, kept on it for the statement. */
export interface JournalSource {
  paymentId?: string | null;
  orderRef?: string | null;
  receipt?: string | null;
  adjustmentId?: string | null;
  terminalId?: string | null;
}

export interface PostRequest {
  accountId: string;
  plan: JournalPlan;
  source: JournalSource;
  /** Charges need an active account; money that already arrived (or left) is posted regardless. */
  requireActive: boolean;
}

/** One posted journal, as the customer's entry of it reads. */
export interface Posted {
  tenantId: string;
  journalId: string;
  entryId: number;
  kind: JournalKind;
  accountId: string;
  amount: number;
  balanceBefore: number;
  balanceAfter: number;
  paymentId: string | null;
  orderRef: string | null;
  receipt: string | null;
  terminalId: string | null;
  at: Date;
}

/**
 * Parameters: $1 tenant, $2 account, $3 journal id, $4 kind, $5 customer amount, $6 require
 * active, $7 payment, $8 order, $9 receipt, $10 adjustment, $11 terminal, $12 counter accounts,
 * $13 counter amounts. One statement: the balance moves only if it stays >= 0, and the journal
 * and its entries are written only if it moved, so no lock is held between round trips.
 */
const POST_SQL = `with a as (
    update accounts set balance = balance + $5::bigint, updated_at = now()
    where tenant_id = $1::uuid and id = $2::uuid and balance + $5::bigint >= 0
      and (not $6::boolean or status = 'active')
    returning id, balance),
  j as (
    insert into ledger_journals
      (id, tenant_id, kind, account_id, payment_id, order_ref, receipt, adjustment_id, terminal_id)
    select $3::uuid, $1::uuid, $4::text, a.id, $7::uuid, $8::text, $9::text, $10::uuid, $11::uuid
    from a returning id, created_at),
  e as (
    insert into ledger_entries
      (tenant_id, journal_id, account_id, system_account, amount, balance_before, balance_after,
       created_at)
    select $1::uuid, j.id, a.id, null, $5::bigint, a.balance - $5::bigint, a.balance, j.created_at
    from a, j
    union all
    select $1::uuid, j.id, null, l.system_account, l.amount, null, null, j.created_at
    from j, unnest($12::text[], $13::bigint[]) as l(system_account, amount)
    returning id, account_id),
  o as (
    insert into ledger_webhook_outbox (journal_id, tenant_id)
    select j.id, $1::uuid from j
    where exists (select 1 from webhook_endpoints w
      where w.tenant_id = $1::uuid and w.enabled and w.deleted_at is null
        and w.event_types && array['account.credited', 'account.debited']))
  select a.balance as after, j.created_at as at,
    (select id from e where account_id is not null) as entry_id
  from a, j`;

/** Every SQL statement that writes the ledger. Each one names its tenant. */
@Injectable()
export class LedgerRepository {
  /**
   * Posts one journal in one statement. Undefined, and nothing written, when the account is not
   * the tenant's, is closed (when `requireActive`), or its balance would go below zero.
   */
  async post(tx: DbOrTx, tenantId: TenantId, r: PostRequest): Promise<Posted | undefined> {
    const { plan, source } = r;
    if (sumOf(plan) !== 0) throw new Error(`unbalanced ${plan.kind} journal`);
    const journalId = randomUUID();
    const { rows } = await pgClientOf(tx).query<{ after: string; at: Date; entry_id: string }>({
      ...statements.get('post', () => POST_SQL),
      values: [
        tenantId,
        r.accountId,
        journalId,
        plan.kind,
        plan.amount,
        r.requireActive,
        source.paymentId ?? null,
        source.orderRef ?? null,
        source.receipt ?? null,
        source.adjustmentId ?? null,
        source.terminalId ?? null,
        plan.legs.map((l) => l.systemAccount),
        plan.legs.map((l) => l.amount),
      ],
    });
    const [row] = rows;
    if (!row) return undefined;
    const after = Number(row.after);
    return {
      tenantId,
      journalId,
      entryId: Number(row.entry_id),
      kind: plan.kind,
      accountId: r.accountId,
      amount: plan.amount,
      balanceBefore: after - plan.amount,
      balanceAfter: after,
      paymentId: source.paymentId ?? null,
      orderRef: source.orderRef ?? null,
      receipt: source.receipt ?? null,
      terminalId: source.terminalId ?? null,
      at: new Date(row.at),
    };
  }

  /** The account's balance, locked until commit (a reversal sizes its journal on it). */
  async lockBalance(tx: DbOrTx, tenantId: TenantId, accountId: string): Promise<number> {
    const { rows } = await pgClientOf(tx).query<{ balance: string }>({
      ...statements.get(
        'lock-balance',
        () => 'select balance from accounts where tenant_id = $1 and id = $2 for update',
      ),
      values: [tenantId, accountId],
    });
    if (!rows[0]) throw new Error(`account ${accountId} of tenant ${tenantId} is missing`);
    return Number(rows[0].balance);
  }
}
