import { randomUUID } from 'node:crypto';
import { schema } from '@malipo/db';
import {
  AccountService,
  ChargeService,
  DiscrepanciesRepository,
  LedgerCheckService,
  PaymentService,
} from '@malipo/payments';
import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { LedgerCheckJob } from '../../../apps/worker/src/ledger/ledger-check.job';
import { awaitingDeposit, ledgerContext, type LedgerContext } from './ledger-harness';

const LEDGER_KINDS = [
  'ledger_balance_mismatch',
  'ledger_deposit_unposted',
  'ledger_journal_unbalanced',
] as const;

describe('nightly ledger check (issue 17)', () => {
  let ctx: LedgerContext;
  let job: LedgerCheckJob;

  beforeAll(async () => {
    ctx = await ledgerContext();
    const ledger = new LedgerCheckService(ctx.checks, ctx.app.get(DiscrepanciesRepository));
    job = new LedgerCheckJob(ctx.checks, ledger);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const openLedgerDiscrepancies = () =>
    ctx.db
      .select({ kind: schema.discrepancies.kind, evidence: schema.discrepancies.evidence })
      .from(schema.discrepancies)
      .where(
        and(
          eq(schema.discrepancies.tenantId, ctx.tenantId),
          inArray(schema.discrepancies.kind, [...LEDGER_KINDS]),
        ),
      );

  async function depositPaid(accountId: string, amount: number) {
    const d = await awaitingDeposit(ctx, accountId, amount);
    await ctx.app.get(PaymentService).apply(
      ctx.tenantId,
      d.paymentId,
      {
        type: 'paid',
        attemptId: d.attemptId,
        receipt: `T${randomUUID().replace(/-/g, '').slice(0, 9).toUpperCase()}`,
        amount,
        paidAt: new Date().toISOString(),
      },
      { source: 'callback' },
    );
    return d;
  }

  it('finds nothing in a ledger that adds up, and each kind of difference once it does not', async () => {
    const account = await ctx.app.get(AccountService).create(ctx.tenantId, { name: 'Canteen' });
    await depositPaid(account.id, 100);
    const key = randomUUID();
    const charged = await ctx.app.get(ChargeService).charge({
      tenantId: ctx.tenantId,
      terminalId: null,
      accountId: account.id,
      key,
      amount: 30,
      orderRef: 'LUNCH-1',
    });
    expect(charged.status).toBe(201);

    const clean = await job.checkAll();
    expect(clean.shops).toBeGreaterThanOrEqual(1);
    expect(clean.withDifferences).not.toContain(ctx.tenantId);
    expect(await openLedgerDiscrepancies()).toEqual([]);

    // What someone with database access could do: a balance edited by hand, a deposit marked
    // succeeded without its posting, a journal's counter entry deleted behind the triggers.
    const unposted = await awaitingDeposit(ctx, account.id, 40);
    await ctx.db.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx
        .update(schema.accounts)
        .set({ balance: sql`${schema.accounts.balance} + 5` })
        .where(eq(schema.accounts.id, account.id));
      await tx
        .update(schema.payments)
        .set({ status: 'succeeded' })
        .where(eq(schema.payments.id, unposted.paymentId));
      const [chargeJournal] = await tx
        .select({ id: schema.ledgerJournals.id })
        .from(schema.ledgerJournals)
        .where(
          and(
            eq(schema.ledgerJournals.accountId, account.id),
            eq(schema.ledgerJournals.kind, 'charge'),
          ),
        );
      await tx
        .delete(schema.ledgerEntries)
        .where(
          and(
            eq(schema.ledgerEntries.journalId, chargeJournal!.id),
            isNotNull(schema.ledgerEntries.systemAccount),
          ),
        );
    });

    const dirty = await job.checkAll();
    expect(dirty.withDifferences).toContain(ctx.tenantId);
    const found = await openLedgerDiscrepancies();
    expect(found.map((d) => d.kind).sort()).toEqual([...LEDGER_KINDS].sort());
    const balance = found.find((d) => d.kind === 'ledger_balance_mismatch')!;
    expect(balance.evidence).toMatchObject({
      accountId: account.id,
      balance: 75,
      sumOfEntries: 70,
    });
    const posting = found.find((d) => d.kind === 'ledger_deposit_unposted')!;
    expect(posting.evidence).toMatchObject({ paymentId: unposted.paymentId, deposits: 0 });

    // The same differences found the next night do not open them again.
    await job.checkAll();
    expect(await openLedgerDiscrepancies()).toHaveLength(LEDGER_KINDS.length);
  });
});
