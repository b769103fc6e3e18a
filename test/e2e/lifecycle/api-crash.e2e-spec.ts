import { schema } from '@malipo/db';
import { eq } from 'drizzle-orm';
import { client } from '../../support/http';
import { FAST_RECONCILE } from '../../support/compiled-stack';
import { canonical, payingPhone } from '../../support/nest-apps';
import { waitFor } from '../../support/processes';
import { startCompiledStack, type CompiledStack } from '../../support/stack';

jest.setTimeout(90_000);

describe('the api killed (SIGKILL) between the push and recording its answer', () => {
  let stack: CompiledStack;

  beforeAll(async () => {
    stack = await startCompiledStack({
      sim: { callbackDelayMs: 300 },
      env: FAST_RECONCILE,
      ownDatabase: true,
    });
  });

  afterAll(() => stack?.close());

  it('ends succeeded with the receipt M-Pesa gave, though the callback was refused', async () => {
    const { sim, api, db } = stack;
    const shop = await stack.shop();
    const phone = payingPhone();
    // Daraja takes the push at once (the prompt goes out) but its answer is slow to come back.
    sim.sim.setFaults({ pushAnswerDelayMs: 10_000 });
    const pending = client(api.url, shop.terminalKey)
      .post(
        '/v1/payments',
        { orderRef: `K-${Date.now()}`, amount: 25, phone },
        { headers: { 'idempotency-key': `crash-${Date.now()}` } },
      )
      .catch((error: Error) => error);
    const [txn] = await waitFor(async () => {
      const found = sim.sim.listTransactions({ phone: canonical(phone) });
      return found.length ? found : undefined;
    });
    await api.stop('SIGKILL');
    expect(await pending).toBeInstanceOf(Error); // the cashier's request died with the api
    // The customer paid; the callback found nobody listening, and Daraja does not retry.
    const refused = await waitFor(async () => {
      const [cb] = sim.sim.callbacks({ checkoutRequestId: txn.checkoutRequestId });
      return cb;
    });
    expect(refused.outcome).toBe('failed');

    const paymentOf = async () => {
      const [row] = await db
        .select()
        .from(schema.payments)
        .where(eq(schema.payments.tenantId, shop.tenantId));
      return row?.status === 'succeeded' ? row : undefined;
    };
    const paid = await waitFor(paymentOf, 30_000);
    expect(paid.receipt).toBe(txn.receipt);
    const [attempt] = await db
      .select()
      .from(schema.paymentAttempts)
      .where(eq(schema.paymentAttempts.paymentId, paid.id));
    expect(attempt.pushSentAt).not.toBeNull();
    const events = await db
      .select()
      .from(schema.paymentEvents)
      .where(eq(schema.paymentEvents.paymentId, paid.id));
    expect(events.map((e) => e.toStatus)).toEqual(['created', 'unknown', 'succeeded']);
    // One prompt, ever.
    expect(sim.sim.requests({ kind: 'stk_push', phone: canonical(phone) })).toHaveLength(1);
  });
});
