import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import fc from 'fast-check';
import { and, eq } from 'drizzle-orm';
import type { TenantId } from '@malipo/common';
import { schema, type Db } from '@malipo/db';
import { PAYMENT_STATUSES, ReconcileReportsService } from '@malipo/payments';
import { createTenantWithKeys, type TenantWithKeys } from '../../factories/tenancy';
import { client } from '../../support/http';
import { bootWorker } from '../../support/nest-apps';
import { startStack, type Stack } from '../../support/stack';

jest.setTimeout(90_000);

interface GenPayment {
  status: (typeof PAYMENT_STATUSES)[number];
  amount: number;
  onTerminal: boolean;
  /** Seconds into the EAT day. */
  at: number;
  outcomeAfter: number;
}

const DAY = '2026-03-14';
const DAY_START = Date.UTC(2026, 2, 14, -3); // midnight EAT

const paymentArb: fc.Arbitrary<GenPayment> = fc.record({
  status: fc.constantFrom(...PAYMENT_STATUSES),
  amount: fc.integer({ min: 1, max: 250_000 }),
  onTerminal: fc.boolean(),
  at: fc.integer({ min: 0, max: 86_399 }),
  outcomeAfter: fc.integer({ min: 1, max: 600 }),
});

async function insertPayments(
  db: Db,
  shop: TenantWithKeys,
  list: GenPayment[],
  dayStart = DAY_START,
) {
  if (!list.length) return [];
  const rows = list.map((p, i) => {
    const createdAt = new Date(dayStart + p.at * 1000);
    const open = ['created', 'awaiting_customer', 'unknown'].includes(p.status);
    const paid = p.status === 'succeeded' || p.status === 'reversed';
    return {
      id: randomUUID(),
      tenantId: shop.tenantId,
      channelId: shop.channelId,
      terminalId: p.onTerminal ? shop.terminalId : null,
      orderRef: `GEN-${i}-${randomUUID().slice(0, 8)}`,
      amount: p.amount,
      phone: `2547${String(10_000_000 + i).slice(-8)}`,
      status: p.status,
      receipt: paid ? `R${randomUUID().replace(/-/g, '').slice(0, 9).toUpperCase()}` : null,
      paidAmount: paid ? p.amount : null,
      createdAt,
      finalizedAt: open ? null : new Date(createdAt.getTime() + p.outcomeAfter * 1000),
    };
  });
  await db.insert(schema.payments).values(rows);
  return rows;
}

describe('reports, discrepancies, runs and CSV export (api)', () => {
  let stack: Stack;
  let api: Stack['api'];
  let worker: INestApplicationContext | undefined;
  let db: Db;
  // The reconciler's own tick stays off: this file's payments must keep the statuses it gave them.
  const startWorker = () => bootWorker({ ...stack.env, RECONCILE_ENABLED: 'false' });

  beforeAll(async () => {
    // The worker starts mid-file: a run is accepted before any worker is there to take it.
    stack = await startStack({ worker: false });
    ({ api, db } = stack);
  });

  afterAll(async () => {
    await worker?.close();
    await stack?.close();
  });

  it('report totals equal the sums of the payments they cover', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(paymentArb, { maxLength: 40 }), async (list) => {
        const shop = await createTenantWithKeys(db);
        const rows = await insertPayments(db, shop, list);
        // A payment of the day before must not leak in.
        await insertPayments(
          db,
          shop,
          [{ status: 'succeeded', amount: 7, onTerminal: true, at: 86_399, outcomeAfter: 1 }],
          DAY_START - 86_400_000,
        );
        const res = await client(api.url, shop.ownerKey).get('/v1/reports/range', {
          params: { from: DAY, to: DAY },
        });
        expect(res.status).toBe(200);
        const r = res.data;
        const sum = (xs: typeof rows) => xs.reduce((a, p) => a + p.amount, 0);
        expect(r.totals.count).toBe(rows.length);
        expect(r.totals.amount).toBe(sum(rows));
        const succeeded = rows.filter((p) => p.status === 'succeeded');
        expect(r.totals.succeeded).toEqual({ count: succeeded.length, amount: sum(succeeded) });
        expect(r.totals.collected).toBe(succeeded.reduce((a, p) => a + (p.paidAmount ?? 0), 0));
        for (const status of PAYMENT_STATUSES) {
          const mine = rows.filter((p) => p.status === status);
          expect(r.byStatus[status] ?? { count: 0, amount: 0 }).toEqual({
            count: mine.length,
            amount: sum(mine),
          });
        }
        const parts = (xs: { count: number; amount: number }[]) => ({
          count: xs.reduce((a, b) => a + b.count, 0),
          amount: xs.reduce((a, b) => a + b.amount, 0),
        });
        expect(parts(r.byTerminal)).toEqual({ count: rows.length, amount: sum(rows) });
        expect(parts(r.byChannel)).toEqual({ count: rows.length, amount: sum(rows) });
        const ended = rows.filter((p) => p.finalizedAt);
        expect(r.successRate).toBe(
          ended.length ? Math.round((succeeded.length / ended.length) * 10_000) / 10_000 : null,
        );
        const secs = ended
          .map((p) => (p.finalizedAt!.getTime() - p.createdAt.getTime()) / 1000)
          .sort((a, b) => a - b);
        const median = secs.length
          ? (secs[(secs.length - 1) >> 1] + secs[secs.length >> 1]) / 2
          : null;
        expect(r.medianSecondsToOutcome).toBe(median);
      }),
      { numRuns: 15 },
    );
  });

  it('stores one daily report per tenant and day, however often it is generated', async () => {
    const shop = await createTenantWithKeys(db);
    await insertPayments(db, shop, [
      { status: 'succeeded', amount: 100, onTerminal: true, at: 3600, outcomeAfter: 20 },
      { status: 'failed', amount: 50, onTerminal: false, at: 7200, outcomeAfter: 40 },
    ]);
    const owner = client(api.url, shop.ownerKey);
    const first = await owner.get('/v1/reports/daily', { params: { date: DAY } });
    const second = await owner.get('/v1/reports/daily', { params: { date: DAY } });
    expect(first.status).toBe(200);
    expect(second.data.id).toBe(first.data.id);
    expect(second.data.totals).toEqual(first.data.totals);
    expect(first.data).toMatchObject({
      day: DAY,
      totals: { count: 2, amount: 150 },
      successRate: 0.5,
      medianSecondsToOutcome: 30,
    });
    const stored = await db
      .select()
      .from(schema.dailyReports)
      .where(
        and(eq(schema.dailyReports.tenantId, shop.tenantId), eq(schema.dailyReports.day, DAY)),
      );
    expect(stored).toHaveLength(1);
    expect((await owner.get('/v1/reports/daily', { params: { date: '14-03-2026' } })).status).toBe(
      400,
    );
    expect(
      (await client(api.url, shop.terminalKey).get('/v1/reports/daily', { params: { date: DAY } }))
        .status,
    ).toBe(403);
  });

  it('exports one CSV row per payment with a header, masking phones for tills', async () => {
    const shop = await createTenantWithKeys(db);
    const other = await createTenantWithKeys(db);
    const gen: GenPayment[] = Array.from({ length: 2_345 }, (_, i) => ({
      status: i % 3 ? 'succeeded' : 'expired',
      amount: 10 + (i % 50),
      onTerminal: i % 2 === 0,
      at: i * 30,
      outcomeAfter: 5,
    }));
    const rows = await insertPayments(db, shop, gen);
    await insertPayments(db, other, gen.slice(0, 10));
    const owner = await client(api.url, shop.ownerKey).get('/v1/payments/export.csv', {
      params: { from: DAY, to: DAY },
      responseType: 'text',
    });
    expect(owner.status).toBe(200);
    expect(owner.headers['content-type']).toMatch(/text\/csv/);
    const lines = (owner.data as string).trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'id,created_at,order_ref,amount,currency,phone,status,receipt,paid_amount,paid_at,terminal_id,channel_id,failure_code,failure_message,finalized_at,cashier',
    );
    expect(lines).toHaveLength(rows.length + 1);
    const ids = lines.slice(1).map((l) => l.split(',')[0]);
    expect(new Set(ids)).toEqual(new Set(rows.map((r) => r.id)));
    expect(lines[1].split(',')[5]).toMatch(/^2547\d{8}$/);

    const till = await client(api.url, shop.terminalKey).get('/v1/payments/export.csv', {
      params: { from: DAY, to: DAY },
      responseType: 'text',
    });
    const tillLines = (till.data as string).trimEnd().split('\r\n').slice(1);
    expect(tillLines).toHaveLength(rows.filter((r) => r.terminalId).length);
    tillLines.forEach((l) => expect(l.split(',')[5]).toMatch(/^\*{9}\d{3}$/));
    expect(
      (
        await client(api.url, shop.ownerKey).get('/v1/payments/export.csv', {
          params: { from: DAY },
        })
      ).status,
    ).toBe(400);
  });

  it('lists, acknowledges and resolves discrepancies with who and a note; tenants stay apart', async () => {
    const shop = await createTenantWithKeys(db);
    const other = await createTenantWithKeys(db);
    const [p] = await insertPayments(db, shop, [
      { status: 'succeeded', amount: 70, onTerminal: true, at: 10, outcomeAfter: 5 },
    ]);
    const [d] = await db
      .insert(schema.discrepancies)
      .values({
        tenantId: shop.tenantId as TenantId,
        paymentId: p.id,
        kind: 'late_success',
        dedupeKey: `t:${p.id}`,
        evidence: { source: 'test' },
      })
      .returning();
    const owner = client(api.url, shop.ownerKey);
    const list = await owner.get('/v1/discrepancies', {
      params: { state: 'open', kind: 'late_success' },
    });
    expect(list.data.items.map((i: { id: string }) => i.id)).toEqual([d.id]);
    expect((await client(api.url, other.ownerKey).get('/v1/discrepancies')).data.items).toEqual([]);
    expect(
      (
        await client(api.url, other.ownerKey).post(`/v1/discrepancies/${d.id}/resolve`, {
          note: 'x',
        })
      ).status,
    ).toBe(404);

    const ack = await owner.post(`/v1/discrepancies/${d.id}/acknowledge`, {});
    expect(ack.data.state).toBe('acknowledged');
    const ops = client(api.url, shop.opsKey);
    expect((await ops.post(`/v1/discrepancies/${d.id}/resolve`, {})).status).toBe(400);
    const done = await ops.post(`/v1/discrepancies/${d.id}/resolve`, {
      note: 'Customer kept the goods; paid by M-Pesa',
    });
    expect(done.status).toBe(200);
    expect(done.data).toMatchObject({
      state: 'resolved',
      note: 'Customer kept the goods; paid by M-Pesa',
      resolvedBy: expect.any(String),
    });
    expect(done.data.resolvedAt).not.toBeNull();
    expect((await ops.post(`/v1/discrepancies/${d.id}/resolve`, { note: 'again' })).status).toBe(
      409,
    );
    const all = await ops.get('/v1/discrepancies', { params: { paymentId: p.id } });
    expect(all.data.items).toHaveLength(1);
  });

  it('runs a reconciliation in a worker, even one that starts after the run was accepted', async () => {
    const shop = await createTenantWithKeys(db);
    await insertPayments(db, shop, [
      { status: 'succeeded', amount: 10, onTerminal: true, at: 100, outcomeAfter: 5 },
    ]);
    const ops = client(api.url, shop.opsKey);
    expect(
      (
        await client(api.url, shop.ownerKey).post('/v1/ops/reconciliation/runs', {
          from: DAY,
          to: DAY,
        })
      ).status,
    ).toBe(403);
    const started = await ops.post('/v1/ops/reconciliation/runs', {
      from: '2026-03-13',
      to: DAY,
      tenantId: shop.tenantId,
    });
    expect(started.status).toBe(202);
    await new Promise((r) => setTimeout(r, 500));
    let run = (await ops.get(`/v1/ops/reconciliation/runs/${started.data.id}`)).data;
    expect(run.state).toBe('running'); // the api only records and enqueues it
    worker = await startWorker();
    for (let i = 0; i < 100 && run.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      run = (await ops.get(`/v1/ops/reconciliation/runs/${started.data.id}`)).data;
    }
    expect(run).toMatchObject({ state: 'completed', summary: { tenants: 1, days: 2, reports: 2 } });
    const daily = await client(api.url, shop.ownerKey).get('/v1/reports/daily', {
      params: { date: DAY },
    });
    expect(daily.data.totals.count).toBe(1);
    expect((await ops.get(`/v1/ops/reconciliation/runs/${randomUUID()}`)).status).toBe(404);
  });

  it('re-enqueues a run whose job was lost (Redis away when it was accepted), and runs it once', async () => {
    const shop = await createTenantWithKeys(db);
    worker ??= await startWorker();
    const [lost] = await db
      .insert(schema.reconciliationRuns)
      .values({
        tenantId: shop.tenantId,
        fromDay: DAY,
        toDay: DAY,
        requestedBy: 'test',
        createdAt: new Date(Date.now() - 120_000),
      })
      .returning();
    const [fresh] = await db
      .insert(schema.reconciliationRuns)
      .values({ tenantId: shop.tenantId, fromDay: DAY, toDay: DAY, requestedBy: 'test' })
      .returning();
    const runs = worker.get(ReconcileReportsService);
    expect(await runs.requeueUnfinishedRuns(60_000)).toBeGreaterThanOrEqual(1);
    const ops = client(api.url, shop.opsKey);
    let run = { state: 'running' };
    for (let i = 0; i < 100 && run.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      run = (await ops.get(`/v1/ops/reconciliation/runs/${lost.id}`)).data;
    }
    expect(run).toMatchObject({ state: 'completed', summary: { tenants: 1, days: 1 } });
    // A run younger than the threshold is left to its own job.
    expect((await ops.get(`/v1/ops/reconciliation/runs/${fresh.id}`)).data.state).toBe('running');
    expect(await runs.executeQueuedRun(lost.id)).toBe('skipped');
  });
});
