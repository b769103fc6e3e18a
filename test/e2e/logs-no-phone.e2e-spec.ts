import { randomInt, randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { schema, type Db } from '@malipo/db';
import { eq } from 'drizzle-orm';
import type { Pool } from 'pg';
import { createAcceptedPayment, stkCallbackBody } from '../factories/payments';
import { connectTestDb, createTenantWithKeys, type TenantWithKeys } from '../factories/tenancy';
import { client, eventually } from '../support/http';
import { bootPaymentsCore } from '../support/nest-apps';
import { freePort, startCompiled, waitFor, type RunningProcess } from '../support/processes';
import { useOwnDatabase } from '../support/scratch-db';

interface Operation {
  method: string;
  path: string;
}

/** Forced failures whose messages, details and parameters all carry the phone number. */
const FAILING_TRIGGERS = ['payments', 'payment_attempts']
  .map(
    (table) => `
create function hostile_fail_${table}() returns trigger language plpgsql as $$
begin
  if ${table === 'payments' ? "new.order_ref like 'BOOM%'" : "new.outcome = 'paid'"} then
    raise exception 'forced failure for %', new.phone using detail = 'phone ' || new.phone;
  end if;
  return new;
end $$;
create trigger hostile_${table} before ${table === 'payments' ? 'insert' : 'update'} on ${table}
  for each row execute function hostile_fail_${table}();`,
  )
  .join('\n');

/**
 * Issue 14, logs: drive every route of the api with a known phone number and key, force an
 * internal error in the api and in the worker, and read every line both processes wrote.
 */
describe('no phone number and no key in any log line', () => {
  let api: RunningProcess;
  let worker: RunningProcess;
  let core: INestApplicationContext;
  let db: Db;
  let pool: Pool;
  let closeDb: () => Promise<void>;
  let dropDb: () => Promise<void>;
  let shop: TenantWithKeys;
  let url: string;
  const local = `07${randomInt(10_000_000, 99_999_999)}`;
  const international = `254${local.slice(1)}`;

  beforeAll(async () => {
    ({ drop: dropDb } = await useOwnDatabase());
    ({ db, pool, close: closeDb } = connectTestDb());
    await pool.query(FAILING_TRIGGERS);
    const [port, workerPort, nobody] = await Promise.all([freePort(), freePort(), freePort()]);
    url = `http://127.0.0.1:${port}`;
    const env = {
      DATABASE_URL: process.env.DATABASE_URL!,
      LOG_LEVEL: 'debug',
      PORT: String(port),
      WORKER_PORT: String(workerPort),
      PUBLIC_BASE_URL: url,
      DARAJA_SIM_URL: `http://127.0.0.1:${nobody}`, // nobody listens: pushes fail and are logged
      CALLBACK_JOB_ATTEMPTS: '2',
    };
    api = startCompiled('api', env);
    worker = startCompiled('worker', env);
    await waitFor(async () => (await client(url).get('/health/ready')).status === 200, 30_000);
    core = await bootPaymentsCore();
    shop = await createTenantWithKeys(db);
  });

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await core?.close();
    await closeDb?.();
    await dropDb?.();
  });

  it('masks the phone number and never writes the key, whatever the route, input or failure', async () => {
    const owner = client(url, shop.ownerKey);
    const operations: Operation[] = Object.entries(
      (await client(url).get('/docs/json')).data.paths as Record<string, Record<string, unknown>>,
    ).flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method, path })));
    expect(operations.length).toBeGreaterThan(20);
    for (const op of operations) {
      for (const phone of [local, `+${international}`, international]) {
        await owner.request({
          method: op.method,
          url: op.path.replace(/\{[^}]+\}/g, randomUUID()),
          params: { phone, note: `call ${phone}` },
          data: { phone, orderRef: `O-${phone}`, amount: 10, description: phone },
          headers: { 'idempotency-key': `k-${phone}-${randomUUID()}` },
        });
      }
    }
    // An internal error in the api, with the number in the failed statement's parameters.
    const boom = await owner.post(
      '/v1/payments',
      { orderRef: 'BOOM-1', amount: 10, phone: local },
      { headers: { 'idempotency-key': randomUUID() } },
    );
    expect(boom.status).toBe(500);
    // And one in the worker: a callback whose application the database refuses.
    const paid = await createAcceptedPayment(core, shop, { phone: international, amount: 10 });
    await client(url).post(paid.callbackPath, stkCallbackBody(paid));
    const inbox = () =>
      db
        .select()
        .from(schema.callbackInbox)
        .where(eq(schema.callbackInbox.attemptId, paid.attemptId));
    const dead = await eventually(inbox, (rows) => rows[0]?.state === 'dead', 30_000);
    expect(dead[0].state).toBe('dead');
    await waitFor(async () => worker.output().includes('callback job failed'));
    await waitFor(async () => api.output().includes(boom.data.requestId));

    const output = api.output() + worker.output();
    expect(output).toContain('forced failure for ');
    expect(output).toContain('*****' + local.slice(-3));
    expect(output).not.toContain(local.slice(-9));
    expect(output).not.toContain(shop.ownerKey);
    expect(output).not.toContain(shop.ownerKey.slice(-24));
  });
});
