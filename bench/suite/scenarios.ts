import { performance } from 'node:perf_hooks';
import { type Pool } from 'pg';
import { buildPassword, darajaTimestamp } from '@malipo/daraja';
import { closedLoop, percentile, postJson } from '../support/bench-env';
import { cpuDelta, type BenchStack, type CpuReading } from './stack';
import {
  PASSKEY,
  SHORTCODE,
  countApplied,
  countCorrect,
  seedAwaiting,
  type SeededCallback,
  type Shop,
} from './seed';
import type { StatementCount } from '../support/private-services';
import type { Terminals } from './terminals';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitApplied(pool: Pool, callbacks: SeededCallback[], timeoutMs = 180_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if ((await countApplied(pool, callbacks)) === callbacks.length) return performance.now();
    await sleep(25);
  }
  throw new Error(`callbacks not applied within ${timeoutMs} ms`);
}

async function assertAllCorrect(stack: BenchStack, callbacks: SeededCallback[], what: string) {
  const correct = await countCorrect(stack.pool, callbacks);
  const { rows } = await stack.pool.query<{ n: number }>(
    `/* bench */ select count(*)::int as n from payment_events where payment_id = any($1::uuid[]) and to_status = 'succeeded'`,
    [callbacks.map((c) => c.paymentId)],
  );
  if (correct !== callbacks.length || rows[0].n !== callbacks.length) {
    throw new Error(
      `${what}: ${correct}/${callbacks.length} payments succeeded with their receipt, ${rows[0].n} success events`,
    );
  }
  return correct;
}

const post = (stack: BenchStack, c: SeededCallback) => postJson(`${stack.apiUrl}${c.path}`, c.body);

/** A bare INSERT of the same body into a table like the inbox: the ceiling of a durable store. */
async function bareInsertRate(stack: BenchStack, body: string, seconds: number): Promise<number> {
  await stack.pool.query(
    '/* bench */ create table if not exists ceiling_inbox (id uuid primary key default gen_random_uuid(), raw_body text not null, received_at timestamptz not null default now())',
  );
  let done = 0;
  const until = Date.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (Date.now() < until) {
        await stack.pool.query(
          '/* bench */ insert into ceiling_inbox (raw_body) values ($1) returning id',
          [body],
        );
        done += 1;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

export interface CallbackFigures {
  ingestPerSecond: number;
  barePerSecond: number;
  drainPerSecond: number;
  cpu: CpuReading;
  ingestStatements: number;
  drainStatements: StatementCount[];
  drainRedisCommands: number;
  ingestRedisCommands: number;
  count: number;
}

/**
 * Ingest with the queue paused (token check, inbox insert, enqueue, ack), the bare insert ceiling
 * right after, then the backlog drained by the worker; every payment is checked at the end.
 */
export async function ingestAndDrain(
  stack: BenchStack,
  shops: Shop[],
  count: number,
  tag: string,
): Promise<CallbackFigures> {
  const callbacks = await seedAwaiting(stack.pool, shops, count, tag);
  await stack.pauseCallbacks();
  await Promise.all([stack.statements.reset(), stack.redisCommands.reset()]);
  const cpu0 = stack.cpu();
  const t0 = performance.now();
  const ingest = await closedLoop(count, 64, (i) => post(stack, callbacks[i]));
  const ingestSeconds = (performance.now() - t0) / 1000;
  const cpu1 = stack.cpu();
  if (ingest.statuses.get(200) !== count) {
    throw new Error(`ingest: statuses ${JSON.stringify(Object.fromEntries(ingest.statuses))}`);
  }
  const ingestStatements = (await stack.statements.read()).reduce((s, r) => s + r.calls, 0);
  const ingestRedis = (await stack.redisCommands.read()).total;
  const barePerSecond = await bareInsertRate(stack, callbacks[0].body, Math.max(2, ingestSeconds));

  await Promise.all([stack.statements.reset(), stack.redisCommands.reset()]);
  const cpu2 = stack.cpu();
  const t2 = performance.now();
  await stack.resumeCallbacks();
  const t3 = await waitApplied(stack.pool, callbacks);
  const cpu3 = stack.cpu();
  const drainStatements = await stack.statements.read();
  const drainRedis = (await stack.redisCommands.read()).total;
  await assertAllCorrect(stack, callbacks, 'drain');
  const ingestCpu = cpuDelta(cpu0, cpu1);
  const drainCpu = cpuDelta(cpu2, cpu3);
  return {
    ingestPerSecond: count / ingestSeconds,
    barePerSecond,
    drainPerSecond: count / ((t3 - t2) / 1000),
    cpu: {
      api: ingestCpu.api + drainCpu.api,
      worker: ingestCpu.worker + drainCpu.worker,
      sim: 0,
      postgres: ingestCpu.postgres + drainCpu.postgres,
      redis: ingestCpu.redis + drainCpu.redis,
    },
    ingestStatements: ingestStatements / count,
    drainStatements: drainStatements.map((s) => ({ query: s.query, calls: s.calls / count })),
    drainRedisCommands: drainRedis / count,
    ingestRedisCommands: ingestRedis / count,
    count,
  };
}

/** `count` callbacks offered as fast as the api answers, worker running: last ack → all applied. */
export async function burst(stack: BenchStack, shops: Shop[], count: number, tag: string) {
  const callbacks = await seedAwaiting(stack.pool, shops, count, tag);
  await stack.resumeCallbacks();
  const t0 = performance.now();
  const r = await closedLoop(count, 64, (i) => post(stack, callbacks[i]));
  const lastAck = performance.now();
  if (r.statuses.get(200) !== count) {
    throw new Error(`burst: statuses ${JSON.stringify(Object.fromEntries(r.statuses))}`);
  }
  const applied = await waitApplied(stack.pool, callbacks);
  await assertAllCorrect(stack, callbacks, 'burst');
  return {
    ackSeconds: (lastAck - t0) / 1000,
    appliedAfterLastAckSeconds: (applied - lastAck) / 1000,
  };
}

/** Callbacks at `rate`/s; time from posting to `payment.updated` at the terminal that took it. */
export async function realtime(
  stack: BenchStack,
  shops: Shop[],
  terminals: Terminals,
  rate: number,
  seconds: number,
  tag: string,
) {
  const callbacks = await seedAwaiting(stack.pool, shops, rate * seconds, tag);
  await stack.resumeCallbacks();
  const watch = terminals.watch(callbacks.map((c) => c.paymentId));
  const started = performance.now();
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < callbacks.length; i++) {
    const wait = started + (i * 1000) / rate - performance.now();
    if (wait > 1) await sleep(wait);
    watch.sent(callbacks[i].paymentId);
    pending.push(post(stack, callbacks[i]));
  }
  await Promise.all(pending);
  const latencies = await watch.done(30_000);
  return {
    delivered: latencies.length,
    expected: callbacks.length,
    duplicates: watch.duplicates(),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/** A distinct phone per request whose last four digits (5xxx) pick no simulator scenario. */
const phone = (i: number) =>
  `07${String(Math.floor(i / 1000)).padStart(4, '0')}5${String(i % 1000).padStart(3, '0')}`;

async function simToken(stack: BenchStack): Promise<string> {
  const res = await fetch(`${stack.simUrl}/oauth/v1/generate?grant_type=client_credentials`, {
    headers: {
      authorization: `Basic ${Buffer.from('malipo-sim-key:malipo-sim-secret').toString('base64')}`,
    },
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

/**
 * POST /v1/payments at `concurrency` over the shops, then the same number of pushes sent straight
 * to the simulator: the service's own overhead is the difference of the percentiles.
 */
export async function initiate(
  stack: BenchStack,
  shops: Shop[],
  count: number,
  concurrency: number,
  firstPhone: number,
) {
  await Promise.all([stack.statements.reset(), stack.redisCommands.reset()]);
  const cpu0 = stack.cpu();
  const service = await closedLoop(count, concurrency, (i) =>
    postJson(
      `${stack.apiUrl}/v1/payments`,
      JSON.stringify({ orderRef: `I-${firstPhone + i}`, amount: 10, phone: phone(firstPhone + i) }),
      {
        authorization: `Bearer ${shops[i % shops.length].keys[0]}`,
        'idempotency-key': `bench-${firstPhone + i}`,
      },
    ),
  );
  const cpu1 = stack.cpu();
  if (service.statuses.get(201) !== count) {
    throw new Error(`initiate: statuses ${JSON.stringify(Object.fromEntries(service.statuses))}`);
  }
  const statementList = await stack.statements.read();
  const statements = statementList.reduce((s, r) => s + r.calls, 0);
  const redisCounts = await stack.redisCommands.read();
  const redis = redisCounts.total;
  const token = await simToken(stack);
  const direct = await closedLoop(count, concurrency, (i) => {
    const ts = darajaTimestamp(new Date());
    const party = `254${phone(firstPhone + count + i).slice(1)}`;
    return postJson(
      `${stack.simUrl}/mpesa/stkpush/v1/processrequest`,
      JSON.stringify({
        BusinessShortCode: SHORTCODE,
        Password: buildPassword(SHORTCODE, PASSKEY, ts),
        Timestamp: ts,
        TransactionType: 'CustomerPayBillOnline',
        Amount: 10,
        PartyA: party,
        PartyB: SHORTCODE,
        PhoneNumber: party,
        CallBackURL: 'http://127.0.0.1:9/v1/hooks/stk/x',
        AccountReference: 'BENCH',
        TransactionDesc: 'Payment',
      }),
      { authorization: `Bearer ${token}` },
    );
  });
  const p = (r: { latencies: number[] }, q: number) => percentile(r.latencies, q);
  const cpu = cpuDelta(cpu0, cpu1);
  return {
    perSecond: service.rate,
    p50: p(service, 50),
    p99: p(service, 99),
    overheadP50: p(service, 50) - p(direct, 50),
    overheadP99: p(service, 99) - p(direct, 99),
    statements: statements / count,
    statementList: statementList.map((r) => ({ query: r.query, calls: r.calls / count })),
    redisByCommand: Object.fromEntries(
      Object.entries(redisCounts.byCommand).map(([k, v]) => [k, +(v / count).toFixed(2)]),
    ),
    redisCommands: redis / count,
    apiCpuMs: cpu.api / count,
    simCpuMs: cpu.sim / count,
    postgresCpuMs: cpu.postgres / count,
  };
}
