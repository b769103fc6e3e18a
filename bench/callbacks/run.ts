/**
 * Callback endpoint benchmark (issue 5). Starts the compiled api and worker against a throwaway
 * database, fires valid STK callbacks for pre-created attempts at increasing rates, and prints:
 * the highest rate answered with p99 < 50 ms, receipt→payment-updated latency, and the ceiling:
 * a bare INSERT of the same body into PostgreSQL from this process.
 * Run: npm run bench:callbacks   (env BENCH_STEPS="250,500,1000" BENCH_SECONDS=5 to change)
 */
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { asTenantId } from '@malipo/common';
import { CallbackToken } from '@malipo/payments';
import {
  createBenchDatabase,
  dropRedisPrefix,
  freePort,
  openLoop,
  percentile,
  postJson,
  startApp,
  successCallbackBody,
} from '../support/bench-env';

const SECRET = 'bench-callback-secret-0123456789abcdef';
const STEPS = (process.env.BENCH_STEPS ?? '500,750,1000,1250,1500,2000,2500,3000')
  .split(',')
  .map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** Untimed traffic first, so JIT warm-up and pool growth are not charged to the first step. */
const WARMUP = { rate: 1000, seconds: 4 };

interface Target {
  path: string;
  body: string;
}

async function seed(pool: Pool, count: number): Promise<Target[]> {
  const tenant = (await pool.query(`insert into tenants (name) values ('bench') returning id`))
    .rows[0].id as string;
  const channel = (
    await pool.query(
      `insert into channels (tenant_id, name, kind, shortcode, party_b, environment, secrets_sealed, secrets_key_id, credential_fingerprint)
       values ($1, 'bench', 'paybill', '174379', '174379', 'simulator', 'unused', 'k1', 'unused') returning id`,
      [tenant],
    )
  ).rows[0].id as string;
  const rows = await pool.query(
    `with p as (
       insert into payments (tenant_id, channel_id, order_ref, amount, phone, status, current_attempt_id, attempt_count, version)
       select $1, $2, 'B-' || g, 100, '254712345678', 'awaiting_customer', gen_random_uuid(), 1, 1 from generate_series(1, $3) g
       returning id, current_attempt_id, order_ref)
     insert into payment_attempts (id, tenant_id, payment_id, channel_id, number, state, amount, phone, checkout_request_id, merchant_request_id)
     select current_attempt_id, $1, id, $2, 1, 'accepted', 100, '254712345678', 'ws_CO_' || order_ref, 'm-' || order_ref from p
     returning id, checkout_request_id, merchant_request_id`,
    [tenant, channel, count],
  );
  const token = new CallbackToken(SECRET);
  return rows.rows.map(
    (r: { id: string; checkout_request_id: string; merchant_request_id: string }) => ({
      path: `/v1/hooks/stk/${token.issue({ tenantId: asTenantId(tenant), attemptId: r.id })}`,
      body: successCallbackBody(r.merchant_request_id, r.checkout_request_id),
    }),
  );
}

async function ceiling(pool: Pool, body: string, seconds: number): Promise<number> {
  await pool.query(
    'create table ceiling_inbox (id uuid primary key default gen_random_uuid(), raw_body text not null, received_at timestamptz not null default now())',
  );
  let done = 0;
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (Date.now() < until) {
        await pool.query('insert into ceiling_inbox (raw_body) values ($1) returning id', [body]);
        done += 1;
      }
    }),
  );
  return done / seconds;
}

async function drain(pool: Pool): Promise<void> {
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    const left = (
      await pool.query(`select count(*)::int as n from callback_inbox where state = 'received'`)
    ).rows[0].n as number;
    if (left === 0) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function receiptToUpdated(pool: Pool): Promise<number[]> {
  const rows = await pool.query(
    `select extract(epoch from (p.updated_at - i.received_at)) * 1000 as ms from callback_inbox i
     join payment_attempts a on a.id = i.attempt_id join payments p on p.id = a.payment_id where i.state = 'processed'`,
  );
  return rows.rows.map((r: { ms: string }) => Number(r.ms)).sort((a: number, b: number) => a - b);
}

async function main(): Promise<void> {
  const db = await createBenchDatabase();
  const pool = new Pool({ connectionString: db.url, max: 10 });
  const apiPort = await freePort();
  const workerPort = await freePort();
  const env = {
    DATABASE_URL: db.url,
    REDIS_PREFIX: `malipo_bench_${randomBytes(3).toString('hex')}`,
    CALLBACK_SECRET: SECRET,
    CREDENTIALS_KEY: 'bench-credentials-key-0123456789abcdef',
    NODE_ENV: 'test',
  };
  const applyRate = Number(process.env.BENCH_APPLY_RATE ?? 100);
  const total =
    STEPS.reduce((sum, rate) => sum + rate * SECONDS, 0) +
    applyRate * SECONDS * 2 +
    WARMUP.rate * WARMUP.seconds;
  process.stdout.write(`seeding ${total} accepted attempts...\n`);
  const targets = await seed(pool, total);
  const api = await startApp('api', { ...env, PORT: String(apiPort) }, apiPort);
  let worker: Awaited<ReturnType<typeof startApp>> | undefined;
  const send = (t: Target) => postJson(`http://127.0.0.1:${apiPort}${t.path}`, t.body);
  try {
    // Phase 1, with the worker: how long from receipt to the payment being updated.
    worker = await startApp('worker', { ...env, WORKER_PORT: String(workerPort) }, workerPort);
    const applied = targets.slice(0, applyRate * SECONDS * 2);
    let offset = applied.length;
    const withWorker = await openLoop(applyRate, SECONDS * 2, (i) => send(applied[i]));
    await drain(pool);
    const lags = await receiptToUpdated(pool);
    worker.kill('SIGTERM');
    worker = undefined;
    // Phase 2, endpoint alone (in production the worker runs elsewhere): the sustained rate.
    const warm = targets.slice(offset, offset + WARMUP.rate * WARMUP.seconds);
    offset += warm.length;
    await openLoop(WARMUP.rate, WARMUP.seconds, (i) => send(warm[i]));
    let sustained = 0;
    let overInARow = 0;
    for (const rate of STEPS) {
      if (overInARow === 2) break;
      const slice = targets.slice(offset, offset + rate * SECONDS);
      offset += slice.length;
      const r = await openLoop(rate, SECONDS, (i) => send(slice[i]));
      const ok = r.p99 < 50 && r.errors === 0 && r.achievedRate >= rate * 0.95;
      if (ok) sustained = rate;
      overInARow = ok ? 0 : overInARow + 1;
      process.stdout.write(
        `endpoint at ${rate}/s: answered ${r.achievedRate.toFixed(0)}/s p50 ${r.p50.toFixed(1)} ms p99 ${r.p99.toFixed(1)} ms errors ${r.errors} ${ok ? 'OK' : 'over'}\n`,
      );
    }
    const ceil = await ceiling(pool, targets[0].body, SECONDS);
    process.stdout.write('\n== callbacks benchmark ==\n');
    process.stdout.write(
      `endpoint sustained rate with p99 < 50 ms (worker stopped): ${sustained}/s\n`,
    );
    process.stdout.write(
      `ceiling (bare INSERT of the same body, 10 connections): ${ceil.toFixed(0)}/s; ratio ${(sustained / ceil).toFixed(2)}\n`,
    );
    process.stdout.write(
      `with the worker at ${applyRate}/s: endpoint p50 ${withWorker.p50.toFixed(1)} ms p99 ${withWorker.p99.toFixed(1)} ms; receipt -> payment updated p50 ${percentile(lags, 50).toFixed(1)} ms, p99 ${percentile(lags, 99).toFixed(1)} ms (${lags.length} callbacks)\n`,
    );
  } finally {
    api.kill('SIGTERM');
    worker?.kill('SIGTERM');
    await pool.end();
    await new Promise((r) => setTimeout(r, 1500));
    await db.drop();
    await dropRedisPrefix(env.REDIS_PREFIX);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:callbacks failed: ${String(error)}\n`);
  process.exit(1);
});
