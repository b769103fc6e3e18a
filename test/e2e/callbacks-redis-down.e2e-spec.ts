import { schema, type Db } from '@malipo/db';
import { inArray, sql } from 'drizzle-orm';
import {
  createAcceptedPayment,
  stkCallbackBody,
  type AcceptedPayment,
} from '../factories/payments';
import { createTenantWithKeys } from '../factories/tenancy';
import { client, eventually } from '../support/http';
import { freePort, startRedis, waitFor, type RunningProcess } from '../support/processes';
import { startStack, type Stack } from '../support/stack';

const COUNT = 200;

describe('callbacks while Redis is down', () => {
  let redis: RunningProcess;
  let redisPort: number;
  let stack: Stack;
  let api: Stack['api'];
  let db: Db;

  beforeAll(async () => {
    redisPort = await freePort();
    redis = startRedis(redisPort);
    await waitFor(async () => redis.output().includes('Ready to accept connections'));
    stack = await startStack({
      env: {
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        INBOX_SWEEP_AFTER_MS: '1000',
        INBOX_SWEEP_EVERY_MS: '500',
      },
    });
    ({ api, db } = stack);
  });

  afterAll(async () => {
    await stack?.close();
    await redis?.stop();
  });

  it('answers 200 to all 200 callbacks, stores them, and applies each once after Redis is back', async () => {
    const shop = await createTenantWithKeys(db);
    const payments: AcceptedPayment[] = [];
    for (let i = 0; i < COUNT; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: 20 }, () => createAcceptedPayment(api.app, shop)),
      );
      payments.push(...batch);
    }
    await redis.stop();

    const hook = client(api.url);
    for (let i = 0; i < COUNT; i += 25) {
      const answers = await Promise.all(
        payments.slice(i, i + 25).map((p) => hook.post(p.callbackPath, stkCallbackBody(p))),
      );
      answers.forEach((a) =>
        expect([a.status, a.data]).toEqual([200, { ResultCode: 0, ResultDesc: 'Accepted' }]),
      );
    }
    const stored = await db.execute(
      sql`select count(*)::int as n from callback_inbox where tenant_id = ${shop.tenantId}`,
    );
    expect((stored.rows[0] as { n: number }).n).toBe(COUNT);

    redis = startRedis(redisPort);
    const ids = payments.map((p) => p.paymentId);
    const succeeded = async () =>
      (
        await db
          .select({ status: schema.payments.status })
          .from(schema.payments)
          .where(inArray(schema.payments.id, ids))
      ).filter((r) => r.status === 'succeeded').length;
    expect(await eventually(succeeded, (n) => n === COUNT, 60_000)).toBe(COUNT);
    const successEvents = await db.execute(
      sql`select payment_id, count(*)::int as n from payment_events where payment_id in ${ids} and to_status = 'succeeded' group by payment_id`,
    );
    expect(successEvents.rows).toHaveLength(COUNT);
    expect(successEvents.rows.every((r) => (r as { n: number }).n === 1)).toBe(true);
  });
});
