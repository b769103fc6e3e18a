import { schema, type Db } from '@malipo/db';
import { inArray, sql } from 'drizzle-orm';
import {
  createAcceptedPayment,
  stkCallbackBody,
  type AcceptedPayment,
} from '../factories/payments';
import { client, eventually } from '../support/http';
import { startCompiledWorker } from '../support/compiled-stack';
import type { RunningProcess } from '../support/processes';
import { startStack, type Stack } from '../support/stack';

const BURST = 500;

/**
 * Usually 6–12 s. One CI run of 2026-11-28 hit the 60 s default with no output to say why, so the
 * drain now fails on its own deadline first, printing where it stood and the worker's last output.
 */
jest.setTimeout(120_000);

async function inBatches<T>(
  items: T[],
  size: number,
  fn: (item: T) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

describe('a worker killed mid-burst (SIGKILL)', () => {
  let stack: Stack;
  let api: Stack['api'];
  let worker: RunningProcess | undefined;
  let db: Db;

  // A compiled worker of its own, started and SIGKILLed by the test itself.
  const startWorker = () =>
    startCompiledWorker({
      ...stack.env,
      JOB_LOCK_MS: '2000',
      LOG_LEVEL: 'warn',
    });

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    ({ api, db } = stack);
  });

  afterAll(async () => {
    await worker?.stop();
    await stack?.close();
  });

  it('applies every one of 500 callbacks exactly once after a restart', async () => {
    const shop = await stack.shop();
    const payments: AcceptedPayment[] = [];
    await inBatches(Array.from({ length: BURST }), 20, async () =>
      payments.push(await createAcceptedPayment(api.app, shop)),
    );
    const ids = payments.map((p) => p.paymentId);
    const processed = async () =>
      Number(
        (
          (
            await db.execute(
              sql`select count(*)::int as n from callback_inbox where tenant_id = ${shop.tenantId} and state = 'processed'`,
            )
          ).rows[0] as { n: number }
        ).n,
      );

    worker = await startWorker();
    const hook = client(api.url);
    const sending = inBatches(payments, 50, async (p) => {
      const res = await hook.post(p.callbackPath, stkCallbackBody(p));
      expect(res.status).toBe(200);
    });
    await eventually(processed, (n) => n >= 50, 30_000);
    await worker.stop('SIGKILL');
    const atKill = await processed();
    await sending;
    expect(atKill).toBeLessThan(BURST);

    const killed = worker;
    worker = await startWorker();
    const finished = await eventually(processed, (n) => n === BURST, 75_000);
    if (finished !== BURST) {
      console.error(
        `callbacks-crash: ${atKill} processed at the kill, ${finished} after the restart\n` +
          `killed worker:\n${killed.output().slice(-4000)}\n` +
          `restarted worker:\n${worker.output().slice(-4000)}`,
      );
    }
    expect(finished).toBe(BURST);

    const rows = await db.select().from(schema.payments).where(inArray(schema.payments.id, ids));
    expect(rows.every((r) => r.status === 'succeeded' && r.receipt)).toBe(true);
    const successEvents = await db
      .select({ paymentId: schema.paymentEvents.paymentId })
      .from(schema.paymentEvents)
      .where(
        sql`${schema.paymentEvents.paymentId} in ${ids} and ${schema.paymentEvents.toStatus} = 'succeeded'`,
      );
    expect(successEvents).toHaveLength(BURST);
    expect(new Set(successEvents.map((e) => e.paymentId)).size).toBe(BURST);
  });
});
