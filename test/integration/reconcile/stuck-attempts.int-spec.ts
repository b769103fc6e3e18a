import type { INestApplicationContext, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import Redis from 'ioredis';
import { inArray, sql } from 'drizzle-orm';
import { schema, type Db } from '@malipo/db';
import type { AttemptRow, ReconcileService as ReconcileServiceType } from '@malipo/payments';
import { startDarajaSim, type RunningDarajaSim } from '../../../apps/daraja-sim/src/start-sim';
import { connectTestDb, createTenantWithKeys } from '../../factories/tenancy';
import {
  addSimChannel,
  makeStuckAttempts,
  ownTestDatabase,
  type StuckAttempt,
} from './reconcile-fixtures';

jest.setTimeout(150_000);

const TENANTS = 20;
const CHANNELS_PER_TENANT = 3;
const STUCK = 1_000;
const WINDOW_MS = 5_000;
const PER_WINDOW = 5;
const BACKOFF_BASE_MS = 500;

const env = {
  RECONCILE_THRESHOLD_SECONDS: '0',
  RECONCILE_TICK_MS: '100',
  RECONCILE_BATCH_SIZE: '100',
  RECONCILE_CONCURRENCY: '20',
  RECONCILE_QUERIES_PER_MINUTE: String((PER_WINDOW * 60_000) / WINDOW_MS),
  RECONCILE_BUDGET_WINDOW_MS: String(WINDOW_MS),
  RECONCILE_BACKOFF_BASE_MS: String(BACKOFF_BASE_MS),
  RECONCILE_BACKOFF_MAX_MS: '2000',
};

/** One worker replica's reconciler (the scheduler ticks it), as its own Nest context. */
async function bootReplica(): Promise<INestApplicationContext> {
  const { AppConfigModule } = await import('@malipo/common');
  const { DbModule } = await import('@malipo/db');
  const { RedisModule } = await import('@malipo/queue');
  const { ScheduleModule } = await import('@nestjs/schedule');
  const { ReconcilerModule } =
    await import('../../../apps/worker/src/reconciler/reconciler.module');
  const { WorkerRegistration } = await import('../../../apps/worker/src/worker-registration');
  const moduleRef = await Test.createTestingModule({
    imports: [
      AppConfigModule.forRoot(),
      DbModule,
      RedisModule,
      ScheduleModule.forRoot(),
      ReconcilerModule as Type<unknown>,
    ],
    providers: [WorkerRegistration],
  }).compile();
  return moduleRef;
}

describe('reconciler under a backlog (two replicas, 429s, per-channel budget)', () => {
  let sim: RunningDarajaSim;
  let db: Db;
  let closeDb: () => Promise<void>;
  let redis: Redis;
  let replicas: INestApplicationContext[] = [];
  let stuck: StuckAttempt[];
  let ownDb: { url: string; drop: () => Promise<void> };
  const work: {
    replica: number;
    attemptId: string;
    start: number;
    end: number;
    result?: string;
  }[] = [];

  beforeAll(async () => {
    sim = await startDarajaSim({ callbackDelayMs: 50, logLevel: 'silent' });
    ownDb = await ownTestDatabase();
    Object.assign(process.env, env, { DARAJA_SIM_URL: sim.url, DATABASE_URL: ownDb.url });
    ({ db, close: closeDb } = connectTestDb());
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
      keyPrefix: `${process.env.REDIS_PREFIX}:`,
    });
    const slots: { tenantId: never; channelId: string }[] = [];
    for (let t = 0; t < TENANTS; t++) {
      const shop = await createTenantWithKeys(db);
      slots.push({ tenantId: shop.tenantId as never, channelId: shop.channelId });
      for (let c = 1; c < CHANNELS_PER_TENANT; c++) {
        slots.push({
          tenantId: shop.tenantId as never,
          channelId: await addSimChannel(db, shop.tenantId, `ch${c}`),
        });
      }
    }
    const suffix = (i: number) =>
      ['1032', '1037', '2001'][i % 10] ?? `5${String(i % 1000).padStart(3, '0')}`;
    stuck = await makeStuckAttempts({
      db,
      redis,
      simUrl: sim.url,
      slots,
      count: STUCK,
      phoneOf: (i) => `2547${String(i).padStart(4, '0')}${suffix(i)}`,
      deadlineInMs: 10 * 60_000,
    });
    await new Promise((r) => setTimeout(r, 300)); // every simulated customer has acted
    sim.sim.setFaults({ query429Rate: 0.3, seed: 42 });
  });

  afterAll(async () => {
    for (const r of replicas) await r.close();
    redis?.disconnect();
    await sim?.close();
    await closeDb?.();
    await ownDb?.drop();
  });

  it('brings every stuck attempt to a final state within budget, never querying one attempt twice at once', async () => {
    const queriesBefore = sim.sim.requests({ kind: 'stk_query' }).length;
    replicas = [await bootReplica(), await bootReplica()];
    const { ReconcileService } = await import('@malipo/payments');
    replicas.forEach((ctx, replica) => {
      const svc = ctx.get<ReconcileServiceType>(ReconcileService);
      const original = svc.processAttempt.bind(svc);
      jest.spyOn(svc, 'processAttempt').mockImplementation(async (a: AttemptRow) => {
        const start = Date.now();
        let result: string | undefined;
        try {
          result = await original(a);
          return result as never;
        } finally {
          work.push({ replica, attemptId: a.id, start, end: Date.now(), result });
        }
      });
    });
    await Promise.all(replicas.map((r) => r.init()));

    const ids = stuck.map((s) => s.paymentId);
    const openCount = async () => {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(schema.payments)
        .where(
          sql`${inArray(schema.payments.id, ids)} and status in ('created', 'awaiting_customer', 'unknown')`,
        );
      return row.n;
    };
    const until = Date.now() + 90_000;
    while ((await openCount()) > 0 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(await openCount()).toBe(0);

    // Final states agree with what each simulated customer did; every success has its receipt.
    const rows = await db.select().from(schema.payments).where(inArray(schema.payments.id, ids));
    const byStatus: Record<string, number> = {};
    for (const r of rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    expect(byStatus).toEqual({ cancelled: 100, expired: 100, failed: 100, succeeded: 700 });
    const receipts = new Map(
      sim.sim.listTransactions().map((t) => [t.checkoutRequestId, t.receipt]),
    );
    const paid = rows.filter((r) => r.status === 'succeeded');
    const checkoutOf = new Map(stuck.map((s) => [s.paymentId, s.checkoutRequestId]));
    paid.forEach((r) => expect(r.receipt).toBe(receipts.get(checkoutOf.get(r.id) ?? '')));

    // The 429s happened and were retried, not taken as answers.
    const queries = sim.sim.requests({ kind: 'stk_query' }).slice(queriesBefore);
    expect(queries.filter((q) => q.status === 429).length).toBeGreaterThan(100);

    // No channel ever went over its budget in any window (from the simulator's own clock).
    const channelOf = new Map(stuck.map((s) => [s.checkoutRequestId, s.channelId]));
    const perChannel = new Map<string, number[]>();
    for (const q of queries) {
      const ch = channelOf.get(q.checkoutRequestId ?? '') ?? 'unknown';
      perChannel.set(ch, [...(perChannel.get(ch) ?? []), Date.parse(q.at)]);
    }
    expect(perChannel.has('unknown')).toBe(false);
    let busiest = 0;
    for (const times of perChannel.values()) {
      times.sort((a, b) => a - b);
      for (let i = 0, j = 0; i < times.length; i++) {
        while (times[i] - times[j] >= WINDOW_MS) j++;
        busiest = Math.max(busiest, i - j + 1);
      }
    }
    expect(busiest).toBeLessThanOrEqual(PER_WINDOW);

    // Two replicas shared the work and never held one attempt at the same time.
    expect(new Set(work.map((w) => w.replica))).toEqual(new Set([0, 1]));
    const byAttempt = new Map<string, typeof work>();
    for (const w of work) byAttempt.set(w.attemptId, [...(byAttempt.get(w.attemptId) ?? []), w]);
    for (const list of byAttempt.values()) {
      list.sort((a, b) => a.start - b.start);
      for (let k = 1; k < list.length; k++) {
        expect(list[k].start).toBeGreaterThanOrEqual(list[k - 1].end);
      }
    }
    // And Daraja saw it the same way: one CheckoutRequestID is never asked twice within a backoff.
    const perCheckout = new Map<string, number[]>();
    for (const q of queries) {
      const id = q.checkoutRequestId ?? '';
      perCheckout.set(id, [...(perCheckout.get(id) ?? []), Date.parse(q.at)]);
    }
    let closest = Infinity;
    for (const times of perCheckout.values()) {
      times.sort((a, b) => a - b);
      for (let k = 1; k < times.length; k++) closest = Math.min(closest, times[k] - times[k - 1]);
    }
    expect(closest).toBeGreaterThanOrEqual(BACKOFF_BASE_MS * 0.8 - 50);
  });

  it('shares one channel budget between replicas: a flood gets exactly the budget per window', async () => {
    const { ReconcileBudget } = await import('@malipo/payments');
    const budgets = replicas.map((ctx) =>
      ctx.get<InstanceType<typeof ReconcileBudget>>(ReconcileBudget),
    );
    const channel = `flood-${Date.now()}`;
    const started = Date.now();
    const granted: number[] = [];
    const refused: number[] = [];
    while (Date.now() - started < WINDOW_MS * 1.5) {
      const answers = await Promise.all(budgets.flatMap((b) => [b.take(channel), b.take(channel)]));
      for (const a of answers) (a.ok ? granted : refused).push(a.ok ? Date.now() : a.retryInMs);
      await new Promise((r) => setTimeout(r, 20));
    }
    // 1.5 windows: the first window's budget, then the second's only once the first has aged out.
    expect(granted.length).toBe(PER_WINDOW * 2);
    expect(refused.length).toBeGreaterThan(0);
    expect(Math.max(...refused)).toBeLessThanOrEqual(WINDOW_MS + 500);
    expect(granted[PER_WINDOW] - granted[0]).toBeGreaterThanOrEqual(WINDOW_MS);
  });
});
