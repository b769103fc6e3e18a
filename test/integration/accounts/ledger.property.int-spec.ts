import fc from 'fast-check';
import { randomBytes, randomUUID } from 'node:crypto';
import { AppError } from '@malipo/common';
import { schema } from '@malipo/db';
import { AccountService, AdjustmentService, ChargeService, PaymentService } from '@malipo/payments';
import { and, eq, inArray } from 'drizzle-orm';
import { awaitingDeposit, entriesOf, ledgerContext, type LedgerContext } from './ledger-harness';

type Op =
  | { kind: 'deposit'; amount: number; callbacks: number; wait: number }
  | { kind: 'charge'; amount: number; sends: number; wait: number }
  | { kind: 'reverse'; of: number; times: number; wait: number }
  | { kind: 'adjust'; amount: number; wait: number };

const wait = fc.nat({ max: 4 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('deposit' as const),
    amount: fc.integer({ min: 1, max: 500 }),
    callbacks: fc.integer({ min: 1, max: 3 }),
    wait,
  }),
  fc.record({
    kind: fc.constant('charge' as const),
    amount: fc.integer({ min: 1, max: 400 }),
    sends: fc.integer({ min: 1, max: 2 }),
    wait,
  }),
  fc.record({
    kind: fc.constant('reverse' as const),
    of: fc.nat({ max: 5 }),
    times: fc.integer({ min: 1, max: 2 }),
    wait,
  }),
  fc.record({
    kind: fc.constant('adjust' as const),
    amount: fc.integer({ min: -300, max: 300 }).filter((n) => n !== 0),
    wait,
  }),
);

/** Refusals the ledger is allowed to answer with while operations race. */
const EXPECTED = new Set(['ACCOUNT.INSUFFICIENT_BALANCE', 'IDEMPOTENCY.IN_PROGRESS']);
const tolerate = (error: unknown) => {
  if (error instanceof AppError && EXPECTED.has(error.code)) return undefined;
  throw error;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ledger under concurrent deposits, charges, reversals and adjustments', () => {
  let ctx: LedgerContext;

  beforeAll(async () => {
    ctx = await ledgerContext();
  });
  afterAll(async () => {
    await ctx?.close();
  });

  async function runScenario(ops: Op[]) {
    const payments = ctx.app.get(PaymentService);
    const account = await ctx.app.get(AccountService).create(ctx.tenantId, { name: 'Prop' });
    const deposits = await Promise.all(
      ops
        .filter((o) => o.kind === 'deposit')
        .map(async (o) => ({
          ...(await awaitingDeposit(ctx, account.id, o.amount)),
          op: o,
          receipt: `T${randomBytes(5).toString('hex').toUpperCase()}`,
        })),
    );
    const chargedKeys = new Set<string>();
    let depositIndex = 0;
    const work = ops.map(async (op) => {
      await sleep(op.wait);
      switch (op.kind) {
        case 'deposit': {
          const d = deposits[depositIndex++];
          const paid = {
            type: 'paid' as const,
            attemptId: d.attemptId,
            receipt: d.receipt,
            amount: op.amount,
            paidAt: new Date().toISOString(),
          };
          // Duplicated and replayed success callbacks, all at once.
          await Promise.all(
            Array.from({ length: op.callbacks }, () =>
              payments.apply(ctx.tenantId, d.paymentId, paid, { source: 'callback' }),
            ),
          );
          return;
        }
        case 'charge': {
          const key = randomUUID();
          const send = () =>
            ctx.app
              .get(ChargeService)
              .charge({
                tenantId: ctx.tenantId,
                terminalId: null,
                accountId: account.id,
                key,
                amount: op.amount,
                orderRef: `O-${key.slice(0, 6)}`,
              })
              .then(() => chargedKeys.add(key))
              .catch(tolerate);
          await Promise.all(Array.from({ length: op.sends }, send));
          return;
        }
        case 'reverse': {
          if (!deposits.length) return;
          const d = deposits[op.of % deposits.length];
          const reversed = { type: 'reversed' as const, receipt: d.receipt, reason: 'prop' };
          await Promise.all(
            Array.from({ length: op.times }, () =>
              payments.apply(ctx.tenantId, d.paymentId, reversed, { source: 'callback' }),
            ),
          );
          return;
        }
        case 'adjust': {
          const adjustments = ctx.app.get(AdjustmentService);
          const adj = await adjustments.request(ctx.tenantId, account.id, {
            amount: op.amount,
            reason: 'prop',
            keyId: 'maker',
          });
          await adjustments
            .approve(
              ctx.tenantId,
              { accountId: account.id, adjustmentId: adj.id },
              { keyId: 'checker', role: 'owner' },
            )
            .catch(tolerate);
          return;
        }
      }
    });
    await Promise.all(work);
    return { accountId: account.id, deposits, chargedKeys };
  }

  it('never goes negative, equals the sum of entries, balances every journal, posts each success once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 8 }), async (ops) => {
        const { accountId, deposits, chargedKeys } = await runScenario(ops);
        const [account] = await ctx.db
          .select()
          .from(schema.accounts)
          .where(eq(schema.accounts.id, accountId));
        const entries = await entriesOf(ctx.db, accountId);
        const sum = entries.reduce((s, e) => s + e.amount, 0);
        expect(account.balance).toBeGreaterThanOrEqual(0);
        expect(account.balance).toBe(sum);
        // Each entry starts where the one before ended: no lost update, whatever the interleaving.
        entries.forEach((e, i) => {
          expect(e.balanceBefore).toBe(i === 0 ? 0 : entries[i - 1].balanceAfter);
          expect(e.balanceAfter).toBeGreaterThanOrEqual(0);
        });
        expect(entries.at(-1)?.balanceAfter ?? 0).toBe(account.balance);

        const ids = deposits.map((d) => d.paymentId);
        const paid = ids.length
          ? await ctx.db
              .select()
              .from(schema.payments)
              .where(
                and(
                  inArray(schema.payments.id, ids),
                  inArray(schema.payments.status, ['succeeded', 'reversed']),
                ),
              )
          : [];
        const journals = await ctx.db
          .select()
          .from(schema.ledgerJournals)
          .where(eq(schema.ledgerJournals.accountId, accountId));
        const count = (kind: string) => journals.filter((j) => j.kind === kind).length;
        expect(count('deposit')).toBe(paid.length);
        expect(count('reversal')).toBe(paid.filter((p) => p.status === 'reversed').length);
        expect(count('charge')).toBe(chargedKeys.size);

        expect(await ctx.checks.unbalancedJournals(ctx.tenantId)).toEqual([]);
        expect(await ctx.checks.postingMismatches(ctx.tenantId)).toEqual([]);
        expect(await ctx.checks.balanceMismatches(ctx.tenantId)).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });
});
