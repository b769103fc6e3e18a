/**
 * Reconciler benchmark. Run: `npx ts-node -r tsconfig-paths/register bench/reconcile/run.ts`
 * (PostgreSQL and Redis on 127.0.0.1). Prints:
 *  1. stuck attempts resolved per second against the in-process simulator, budget lifted;
 *  2. EXPLAIN (ANALYZE, BUFFERS) of the claim and deadline queries with 1,000,000 payments.
 * Everything happens in a throwaway database `malipo_bench_<rand>_test`, dropped at the end.
 * BENCH_STUCK (default 2000) sets the number of stuck attempts.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { INestApplicationContext, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { PgDialect } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import Redis from 'ioredis';
import { Client } from 'pg';
import { createBenchDatabase } from '../support/bench-env';

const STUCK = Number(process.env.BENCH_STUCK ?? 2000);
const PAYMENTS = 1_000_000;

async function bootReconciler(): Promise<INestApplicationContext> {
  const { AppConfigModule } = await import('@malipo/common');
  const { DbModule } = await import('@malipo/db');
  const { RedisModule } = await import('@malipo/queue');
  const { ScheduleModule } = await import('@nestjs/schedule');
  const { ReconcilerModule } = await import('../../apps/worker/src/reconciler/reconciler.module');
  const ref = await Test.createTestingModule({
    imports: [
      AppConfigModule.forRoot(),
      DbModule,
      RedisModule,
      ScheduleModule.forRoot(),
      ReconcilerModule as Type<unknown>,
    ],
  }).compile();
  return ref;
}

async function throughput(): Promise<void> {
  const { startDarajaSim } = await import('../../apps/daraja-sim/src/start-sim');
  const { connectTestDb, createTenantWithKeys } = await import('../../test/factories/tenancy');
  const { makeStuckAttempts } = await import('../../test/integration/reconcile/reconcile-fixtures');
  const sim = await startDarajaSim({ callbackDelayMs: 10, logLevel: 'silent' });
  process.env.DARAJA_SIM_URL = sim.url;
  const { db, close } = connectTestDb();
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
    keyPrefix: `${process.env.REDIS_PREFIX}:`,
  });
  const slots = [];
  for (let t = 0; t < 10; t++) {
    const shop = await createTenantWithKeys(db);
    slots.push({ tenantId: shop.tenantId, channelId: shop.channelId });
  }
  const suffix = (i: number) =>
    ['1032', '1037', '2001'][i % 10] ?? `5${String(i % 1000).padStart(3, '0')}`;
  const stuck = await makeStuckAttempts({
    db,
    redis,
    simUrl: sim.url,
    slots,
    count: STUCK,
    phoneOf: (i) => `2547${String(i).padStart(4, '0')}${suffix(i)}`,
    deadlineInMs: 30 * 60_000,
  });
  await new Promise((r) => setTimeout(r, 200));
  const ids = stuck.map((s) => `'${s.paymentId}'`).join(',');
  const open = async () =>
    Number(
      (
        await db.execute(
          sql.raw(
            `select count(*)::int as n from payments where id in (${ids}) and status in ('created','awaiting_customer','unknown')`,
          ),
        )
      ).rows[0].n,
    );
  const ctx = await bootReconciler();
  const started = Date.now();
  await ctx.init();
  while ((await open()) > 0 && Date.now() - started < 600_000) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (Date.now() - started) / 1000;
  const left = await open();
  await ctx.close();
  const queries = sim.sim.requests({ kind: 'stk_query' }).length;
  const pulls = sim.sim.requests({ kind: 'other' }).length;
  console.log(`\n== throughput (1 reconciler, budget lifted, in-process simulator) ==`);
  console.log(`stuck attempts: ${STUCK}; unresolved after run: ${left}`);
  console.log(
    `resolved in ${seconds.toFixed(2)} s = ${((STUCK - left) / seconds).toFixed(0)} attempts/s`,
  );
  console.log(`STK queries: ${queries}; statement pulls (pages): ${pulls}`);
  redis.disconnect();
  await sim.close();
  await close();
}

async function claimPlan(url: string): Promise<void> {
  const { claimSql, PUSH_FIRST_QUERY_MS } = await import('@malipo/payments');
  const c = new Client({ connectionString: url });
  await c.connect();
  await c.query(
    `delete from payment_events; delete from discrepancies; delete from payment_attempts; delete from payments`,
  );
  const t0 = Date.now();
  const [{ tenant, channel }] = (
    await c.query(
      `select t.id as tenant, c.id as channel from tenants t join channels c on c.tenant_id = t.id limit 1`,
    )
  ).rows;
  // 1 % of payments open (half due now, half in an hour), the rest final.
  await c.query(
    `insert into payments (tenant_id, channel_id, order_ref, amount, phone, status, version, attempt_count, deadline_at, created_at, finalized_at)
     select $1, $2, 'B-' || g, 10 + g % 1000, '2547' || lpad((g % 100000000)::text, 8, '0'),
            case when g % 100 = 0 then 'awaiting_customer' else 'succeeded' end, 1, 1,
            now() + interval '10 minutes', now() - g * interval '1 second',
            case when g % 100 = 0 then null else now() - g * interval '1 second' + interval '20 seconds' end
     from generate_series(1, ${PAYMENTS}) g`,
    [tenant, channel],
  );
  await c.query(
    `insert into payment_attempts (tenant_id, payment_id, channel_id, number, state, amount, phone, checkout_request_id, next_query_at, query_count, created_at)
     select tenant_id, id, channel_id, 1, case when status = 'awaiting_customer' then 'accepted' else 'final' end, amount, phone,
            'ws_CO_bench_' || id,
            case when status = 'awaiting_customer' then now() - interval '5 seconds' + (case when random() < 0.5 then interval '1 hour' else interval '0' end) end,
            1, created_at
     from payments`,
  );
  await c.query('analyze payments; analyze payment_attempts');
  console.log(
    `\n== claim query with ${PAYMENTS.toLocaleString('en')} payments (seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s) ==`,
  );
  const q = new PgDialect().sqlToQuery(
    claimSql({ limit: 100, leaseMs: 60_000, firstQueryShiftMs: PUSH_FIRST_QUERY_MS - 30_000 }),
  );
  await c.query('begin');
  const plan = (await c.query(`explain (analyze, buffers) ${q.sql}`, q.params)).rows.map(
    (r: Record<string, string>) => r['QUERY PLAN'],
  );
  await c.query('rollback');
  console.log(plan.join('\n'));
  const used = plan.some((l) => l.includes('payment_attempts_channel_due_idx'));
  console.log(`uses payment_attempts_channel_due_idx: ${used ? 'yes' : 'NO'}`);
  console.log(`\n== deadline sweep query ==`);
  const dplan = (
    await c.query(`explain (analyze, buffers) select id, tenant_id, current_attempt_id from payments
      where status in ('created', 'awaiting_customer', 'unknown') and deadline_at <= now() + interval '1 hour' order by deadline_at limit 100`)
  ).rows.map((r: Record<string, string>) => r['QUERY PLAN']);
  console.log(dplan.join('\n'));
  console.log(
    `uses payments_open_deadline_idx: ${dplan.some((l) => l.includes('payments_open_deadline_idx')) ? 'yes' : 'NO'}`,
  );
  await c.end();
}

async function main(): Promise<void> {
  const bench = await createBenchDatabase();
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: bench.url,
    REDIS_PREFIX: `malipo_bench_${randomBytes(3).toString('hex')}`,
    CREDENTIALS_KEY: process.env.CREDENTIALS_KEY ?? 'test-credentials-key-0123456789abcdef',
    CALLBACK_SECRET: process.env.CALLBACK_SECRET ?? 'test-callback-secret-0123456789abcdef',
    LOG_LEVEL: 'silent',
    DATABASE_POOL_SIZE: '20',
    RECONCILE_THRESHOLD_SECONDS: '0',
    RECONCILE_TICK_MS: '50',
    RECONCILE_BATCH_SIZE: '200',
    RECONCILE_CONCURRENCY: '50',
    RECONCILE_QUERIES_PER_MINUTE: '100000000',
    RECONCILE_BACKOFF_BASE_MS: '200',
    RECONCILE_BACKOFF_MAX_MS: '1000',
  });
  try {
    await throughput();
    await claimPlan(bench.url);
  } finally {
    await bench.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
