import { schema } from '@malipo/db';
import { inArray } from 'drizzle-orm';
import type { TenantWithKeys } from '../../factories/tenancy';
import { FAST_RECONCILE } from '../../support/compiled-stack';
import { client } from '../../support/http';
import { payingPhone } from '../../support/nest-apps';
import { startPrivatePostgres, type PrivatePostgres } from '../../support/private-postgres';
import { waitFor } from '../../support/processes';
import { startCompiledStack, type CompiledStack } from '../../support/stack';

jest.setTimeout(120_000);

const BATCH = 30;

describe('a PostgreSQL restart while callbacks are being received and applied', () => {
  let postgres: PrivatePostgres;
  let stack: CompiledStack;
  let shop: TenantWithKeys;

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    stack = await startCompiledStack({
      sim: { callbackDelayMs: 500 },
      env: FAST_RECONCILE,
      databaseUrl: await postgres.database('malipo_restart'),
    });
    stack.pool.on('error', () => undefined); // the restart drops this pool's idle clients too
    shop = await stack.shop();
  });

  afterAll(async () => {
    await stack?.close();
    await postgres?.drop();
  });

  const payBatch = async (tag: string): Promise<string[]> => {
    const till = client(stack.api.url, shop.terminalKey);
    const answers = await Promise.all(
      Array.from({ length: BATCH }, (_, i) =>
        till.post(
          '/v1/payments',
          { orderRef: `${tag}-${i}`, amount: 20 + i, phone: payingPhone() },
          { headers: { 'idempotency-key': `${tag}-${i}` } },
        ),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(BATCH).fill(201));
    return answers.map((a) => a.data.id as string);
  };

  it('keeps api and worker running, and every payment ends as M-Pesa says', async () => {
    const { sim, api, db } = stack;
    const worker = stack.worker!;
    // Callbacks spread over 0.5–3 s after their pushes: the first ones are being applied by the
    // worker when PostgreSQL stops (fast shutdown ends every session, in transactions too); later
    // ones cannot be stored, so the api answers 503 and the reconciler asks Safaricom afterwards.
    sim.sim.setFaults({ callbackReorderWindowMs: 2_500 });
    const before = await payBatch('before');
    await waitFor(async () => sim.sim.callbacks({ outcome: 'delivered' }).length >= 3, 10_000);
    await postgres.stop();
    await waitFor(async () => sim.sim.callbacks({ outcome: 'failed' }).length > 0, 10_000);
    await postgres.start();
    sim.sim.setFaults({ callbackReorderWindowMs: 0 });
    const after = await payBatch('after'); // served again without restarting anything
    expect(api.child.exitCode).toBeNull();
    expect(worker.child.exitCode).toBeNull();

    const ids = [...before, ...after];
    const rows = await waitFor(async () => {
      const found = await db
        .select()
        .from(schema.payments)
        .where(inArray(schema.payments.id, ids))
        .catch(() => []);
      return found.length === ids.length && found.every((r) => r.status === 'succeeded')
        ? found
        : undefined;
    }, 60_000);
    const attempts = await db
      .select()
      .from(schema.paymentAttempts)
      .where(inArray(schema.paymentAttempts.paymentId, ids));
    const receipts = new Map(
      sim.sim.listTransactions().map((t) => [t.checkoutRequestId, t.receipt]),
    );
    for (const p of rows) {
      const a = attempts.find((x) => x.paymentId === p.id);
      expect(p.receipt).toBe(receipts.get(a?.checkoutRequestId ?? ''));
    }
    expect(sim.sim.requests({ kind: 'stk_push' })).toHaveLength(ids.length);
    expect(sim.sim.callbacks({ outcome: 'failed' })[0].httpStatus).toBe(503);
    expect(api.child.exitCode).toBeNull();
    expect(worker.child.exitCode).toBeNull();
  });
});
