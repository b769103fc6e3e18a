import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { schema, type Db } from '@malipo/db';
import { eq, sql } from 'drizzle-orm';
import type { AxiosInstance } from 'axios';
import type { RunningDarajaSim } from '../../apps/daraja-sim/src/start-sim';
import type { TenantWithKeys } from '../factories/tenancy';
import { client, eventually } from '../support/http';
import { canonical, payingPhone, scenarioPhone } from '../support/nest-apps';
import { startStack, type Stack } from '../support/stack';

describe('payments API (api + worker + simulator)', () => {
  let sim: RunningDarajaSim;
  let api: { app: NestFastifyApplication; url: string };
  let db: Db;
  let stack: Stack;
  let shop: TenantWithKeys;
  let other: TenantWithKeys;
  let till: AxiosInstance;
  let owner: AxiosInstance;

  const pushesTo = (phone: string) =>
    sim.sim.requests({ kind: 'stk_push', phone: canonical(phone) }).filter((r) => r.status === 200);
  const order = () => `ORD-${Math.random().toString(36).slice(2, 10)}`;
  const create = (body: Record<string, unknown>, key = `k-${Math.random()}`, http = till) =>
    http.post('/v1/payments', body, { headers: { 'idempotency-key': key } });
  const statusOf = (id: string) =>
    eventually(
      () => owner.get(`/v1/payments/${id}`),
      (r) => !['created', 'awaiting_customer', 'unknown'].includes(r.data.status),
    );

  beforeAll(async () => {
    stack = await startStack({
      sim: { callbackDelayMs: 200, lateCallbackMs: 1_500 },
      env: { STK_TIMEOUT_SECONDS: '60' },
    });
    ({ sim, api, db } = stack);
    shop = await stack.shop();
    other = await stack.shop();
    till = client(api.url, shop.terminalKey);
    owner = client(api.url, shop.ownerKey);
  });

  afterAll(() => stack?.close());

  it('pushes once, answers awaiting_customer, and the callback makes it succeeded with a receipt', async () => {
    const phone = payingPhone();
    const res = await create({ orderRef: order(), amount: 150, phone });
    expect(res.status).toBe(201);
    expect(res.data).toMatchObject({
      status: 'awaiting_customer',
      amount: 150,
      nextAction: 'wait_for_customer',
    });
    expect(res.data.phone).toMatch(/^\*+\d{3}$/); // a till never sees the full number
    const done = await statusOf(res.data.id);
    expect(done.data).toMatchObject({
      status: 'succeeded',
      receipt: expect.stringMatching(/^[A-Z0-9]{10}$/),
      phone: canonical(phone),
    });
    expect(pushesTo(phone)).toHaveLength(1);
    const events = await owner.get(`/v1/payments/${res.data.id}/events`);
    expect(events.data.items.map((e: { to: string }) => e.to)).toEqual([
      'created',
      'awaiting_customer',
      'succeeded',
    ]);
  });

  it('replays the stored answer for the same key and body, and refuses the key with another body', async () => {
    const body = { orderRef: order(), amount: 20, phone: payingPhone() };
    const first = await create(body, 'same-key-1');
    const again = await create(body, 'same-key-1');
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.data.id).toBe(first.data.id);
    const reused = await create({ ...body, amount: 21 }, 'same-key-1');
    expect(reused.status).toBe(422);
    expect(reused.data.code).toBe('IDEMPOTENCY.KEY_REUSED');
    expect(pushesTo(body.phone)).toHaveLength(1);
  });

  it('sends one push for 50 identical concurrent requests', async () => {
    const body = { orderRef: order(), amount: 30, phone: payingPhone() };
    const answers = await Promise.all(Array.from({ length: 50 }, () => create(body, 'burst-key')));
    const ok = answers.filter((a) => a.status === 201);
    const busy = answers.filter((a) => a.status === 409);
    expect(ok.length + busy.length).toBe(50);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ok.map((a) => a.data.id)).size).toBe(1);
    busy.forEach((a) => expect(a.data.code).toBe('IDEMPOTENCY.IN_PROGRESS'));
    expect(pushesTo(body.phone)).toHaveLength(1);
    const replay = await create(body, 'burst-key');
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.data.id).toBe(ok[0].data.id);
  });

  it('makes one payment of 50 concurrent requests for one order with different keys', async () => {
    const body = { orderRef: order(), amount: 40, phone: payingPhone() };
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => create(body, `order-key-${i}-${body.orderRef}`)),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    const refused = answers.filter((a) => a.status === 409);
    expect(refused).toHaveLength(49);
    refused.forEach((a) => expect(a.data.code).toBe('PAYMENT.IN_PROGRESS'));
    const rows = await db
      .select()
      .from(schema.payments)
      .where(eq(schema.payments.orderRef, body.orderRef));
    expect(rows).toHaveLength(1);
    expect(pushesTo(body.phone)).toHaveLength(1);
  });

  it('refuses a second prompt to a phone that has one live', async () => {
    const phone = payingPhone();
    sim.sim.setScenario(canonical(phone), {
      name: 'held',
      description: 'held',
      resultCode: 0,
      resultDesc: 'ok',
      push: 'accept',
      delivery: 'once',
      hold: true,
    });
    const [a, b] = await Promise.all([
      create({ orderRef: order(), amount: 10, phone }),
      create({ orderRef: order(), amount: 11, phone }),
    ]);
    const codes = [a, b].map((r) => r.status).sort();
    expect(codes).toEqual([201, 409]);
    expect([a, b].find((r) => r.status === 409)?.data.code).toBe('PAYMENT.PHONE_BUSY');
    expect(pushesTo(phone)).toHaveLength(1);
  });

  it('refuses a second payment for an order that is already paid', async () => {
    const orderRef = order();
    const first = await create({ orderRef, amount: 10, phone: payingPhone() });
    await statusOf(first.data.id);
    const second = await create({ orderRef, amount: 10, phone: payingPhone() });
    expect(second.status).toBe(409);
    expect(second.data.code).toBe('PAYMENT.ALREADY_PAID');
  });

  it('ends failed with a readable reason, and a retry makes a new attempt', async () => {
    const phone = scenarioPhone('0001');
    const res = await create({ orderRef: order(), amount: 10, phone });
    const failed = await statusOf(res.data.id);
    expect(failed.data).toMatchObject({
      status: 'failed',
      failure: { code: '1', retryable: true },
      nextAction: 'retry',
    });
    const retry = await till.post(
      `/v1/payments/${res.data.id}/retry`,
      {},
      { headers: { 'idempotency-key': `r-${res.data.id}` } },
    );
    expect(retry.status).toBe(201);
    expect(retry.data.attempts).toBe(2);
    expect(pushesTo(phone)).toHaveLength(2);
  });

  it('lets the cashier stop waiting, and a late success still wins with a discrepancy', async () => {
    const res = await create({ orderRef: order(), amount: 10, phone: scenarioPhone('9997') });
    const cancelled = await till.post(`/v1/payments/${res.data.id}/cancel`, {
      reason: 'customer left',
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.data.status).toBe('cancelled');
    const won = await eventually(
      () => owner.get(`/v1/payments/${res.data.id}`),
      (r) => r.data.status === 'succeeded',
    );
    expect(won.data.status).toBe('succeeded');
    const found = await db
      .select()
      .from(schema.discrepancies)
      .where(eq(schema.discrepancies.paymentId, res.data.id));
    expect(found.map((d) => d.kind)).toEqual(['paid_after_cancel']);
  });

  it('validates input and writes nothing for bad requests', async () => {
    const count = async () =>
      (
        await db.execute(
          sql`select count(*)::int as n from payments where tenant_id = ${shop.tenantId}`,
        )
      ).rows[0] as { n: number };
    const before = await count();
    const cases: [Record<string, unknown>, string][] = [
      [{ orderRef: order(), amount: 10.5, phone: payingPhone() }, 'amount'],
      [{ orderRef: order(), amount: 0, phone: payingPhone() }, 'amount'],
      [{ orderRef: order(), amount: 250_001, phone: payingPhone() }, 'amount'],
      [{ orderRef: order(), amount: '10', phone: payingPhone() }, 'amount'],
      [{ orderRef: order(), amount: 10, phone: '0812345678' }, 'phone'],
      [{ orderRef: order(), amount: 10, phone: payingPhone(), extra: 1 }, 'extra'],
      [{ amount: 10, phone: payingPhone() }, 'orderRef'],
    ];
    for (const [body, field] of cases) {
      const res = await create(body);
      expect(res.status).toBe(400);
      expect(res.data).toMatchObject({ code: expect.any(String), details: { field } });
    }
    const noKey = await till.post('/v1/payments', {
      orderRef: order(),
      amount: 10,
      phone: payingPhone(),
    });
    expect(noKey.status).toBe(400);
    expect(noKey.data.code).toBe('IDEMPOTENCY.KEY_REQUIRED');
    const huge = await create({
      orderRef: order(),
      amount: 10,
      phone: payingPhone(),
      description: 'x'.repeat(64 * 1024),
    });
    expect(huge.status).toBe(413);
    expect(await count()).toEqual(before);
  });

  it('hides one tenant’s payments from another (404) and keeps terminals out of the admin API (403)', async () => {
    const res = await create({ orderRef: order(), amount: 10, phone: payingPhone() });
    const stranger = client(api.url, other.ownerKey);
    expect((await stranger.get(`/v1/payments/${res.data.id}`)).status).toBe(404);
    expect((await stranger.post(`/v1/payments/${res.data.id}/cancel`, {})).status).toBe(404);
    expect(
      (
        await stranger.post(
          `/v1/payments/${res.data.id}/retry`,
          {},
          { headers: { 'idempotency-key': 'x' } },
        )
      ).status,
    ).toBe(404);
    const list = await stranger.get('/v1/payments', { params: { orderRef: res.data.orderRef } });
    expect(list.data.items).toEqual([]);
    expect((await till.get('/v1/channels')).status).toBe(403);
  });

  it('lists with filters and a stable cursor', async () => {
    const phone = payingPhone();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await create(
        { orderRef: order(), amount: 10 + i, phone },
        `list-${i}-${phone}`,
        owner,
      );
      ids.push(r.data.id);
      await statusOf(r.data.id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await owner.get('/v1/payments', { params: { phone, limit: 2, cursor } });
      expect(page.status).toBe(200);
      seen.push(...page.data.items.map((p: { id: string }) => p.id));
      cursor = page.data.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const byReceipt = await owner.get(`/v1/payments/${ids[0]}`);
    const filtered = await owner.get('/v1/payments', {
      params: { receipt: byReceipt.data.receipt },
    });
    expect(filtered.data.items.map((p: { id: string }) => p.id)).toEqual([ids[0]]);
  });
});
