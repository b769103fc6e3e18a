import fc from 'fast-check';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { schema, type Db } from '@malipo/db';
import { and, eq } from 'drizzle-orm';
import type { AxiosInstance } from 'axios';
import { Client } from 'pg';
import {
  aReceipt,
  createAcceptedPayment,
  stkCallbackBody,
  type AcceptedPayment,
} from '../factories/payments';
import type { TenantWithKeys } from '../factories/tenancy';
import { callbackReads } from '../support/callback-reads';
import { client, eventually } from '../support/http';
import { scenarioPhone } from '../support/nest-apps';
import { startStack, type Stack } from '../support/stack';

const ACK = { ResultCode: 0, ResultDesc: 'Accepted' };

describe('STK callbacks (api + worker + simulator)', () => {
  let api: { app: NestFastifyApplication; url: string };
  let worker: INestApplicationContext;
  let db: Db;
  let stack: Stack;
  let shop: TenantWithKeys;
  let other: TenantWithKeys;
  let owner: AxiosInstance;
  let ops: AxiosInstance;
  let hook: AxiosInstance;

  let reads: ReturnType<typeof callbackReads>;
  const payment = (id: string) => reads.payment(id);
  const events = (id: string) => reads.events(id);
  const inboxFor = (attemptId: string) => reads.inboxFor(attemptId);
  const settled = (attemptId: string, n: number) => reads.settled(attemptId, n);
  const accepted = (t: TenantWithKeys = shop, opts = {}) => createAcceptedPayment(worker, t, opts);
  const post = (p: AcceptedPayment, body: unknown, headers: Record<string, string> = {}) =>
    hook.post(p.callbackPath, body, {
      headers: { 'content-type': 'application/json', ...headers },
    });

  beforeAll(async () => {
    stack = await startStack({
      sim: { callbackDelayMs: 100, lateCallbackMs: 1_000 },
      env: { DATABASE_STATEMENT_TIMEOUT_MS: '1000', CALLBACK_JOB_ATTEMPTS: '2' },
    });
    ({ api, db } = stack);
    worker = stack.worker!;
    reads = callbackReads(db);
    shop = await stack.shop();
    other = await stack.shop();
    owner = client(api.url, shop.ownerKey);
    ops = client(api.url, shop.opsKey);
    hook = client(api.url);
  });

  afterAll(() => stack?.close());

  it('acknowledges at once and applies the callback in the worker, exactly once', async () => {
    const p = await accepted();
    const body = stkCallbackBody(p);
    const answers = await Promise.all([post(p, body), post(p, body), post(p, body)]);
    answers.forEach((a) => expect([a.status, a.data]).toEqual([200, ACK]));
    const rows = await settled(p.attemptId, 3);
    expect(rows.map((r) => r.state)).toEqual(['processed', 'processed', 'processed']);
    const succeeded = (await events(p.paymentId)).filter((e) => e.toStatus === 'succeeded');
    expect(succeeded).toHaveLength(1);
    expect((await payment(p.paymentId)).status).toBe('succeeded');
  });

  it('ends each simulator fault scenario right, with one success event where money moved', async () => {
    const cases = [
      { phone: scenarioPhone('9998'), status: 'succeeded' }, // callback three times
      { phone: scenarioPhone('9997'), status: 'succeeded' }, // callback late
      { phone: scenarioPhone('9996'), status: 'succeeded' }, // push answered 500 after the prompt
      { phone: scenarioPhone('1032'), status: 'cancelled' },
      { phone: scenarioPhone('2001'), status: 'failed' },
      { phone: scenarioPhone('1037'), status: 'expired' },
    ];
    const till = client(api.url, shop.terminalKey);
    const started = await Promise.all(
      cases.map((c, i) =>
        till.post(
          '/v1/payments',
          { orderRef: `S-${i}-${Date.now()}`, amount: 10, phone: c.phone },
          { headers: { 'idempotency-key': `s-${c.phone}` } },
        ),
      ),
    );
    expect(started.map((s) => s.status)).toEqual(cases.map(() => 201));
    expect(started[2].data.status).toBe('unknown');
    expect(started[2].data.nextAction).toBe('check_again_later');
    for (const [i, c] of cases.entries()) {
      const done = await eventually(
        () => owner.get(`/v1/payments/${started[i].data.id}`),
        (r) => r.data.status === c.status,
        10_000,
      );
      expect(done.data.status).toBe(c.status);
      const evs = await events(started[i].data.id);
      expect(evs.filter((e) => e.toStatus === 'succeeded')).toHaveLength(
        c.status === 'succeeded' ? 1 : 0,
      );
    }
  });

  it('answers 404 to an unknown or forged token and stores nothing', async () => {
    const p = await accepted();
    const forged = p.callbackPath.slice(0, -1) + (p.callbackPath.endsWith('0') ? '1' : '0');
    // Counted for this shop only: other test files write callbacks into the same database.
    const stored = async () =>
      (
        await db
          .select()
          .from(schema.callbackInbox)
          .where(eq(schema.callbackInbox.tenantId, p.tenantId))
      ).length;
    const before = await stored();
    for (const path of [
      forged,
      '/v1/hooks/stk/nope',
      `/v1/hooks/stk/${p.tenantId}.${p.attemptId}.${'0'.repeat(32)}`,
    ]) {
      const res = await hook.post(path, stkCallbackBody(p));
      expect(res.status).toBe(404);
    }
    expect(await stored()).toBe(before);
  });

  it('stores malformed bodies as invalid, answers 200, shows them to operators and changes nothing', async () => {
    const p = await accepted();
    const bodies: [string, string][] = [
      ['not json at all', 'text/plain'],
      ['{"Body": {"stkCallback": ', 'application/json'],
      ['{"Body": {}}', 'application/json'],
      [JSON.stringify({ Body: { stkCallback: { ResultCode: 0 } } }), 'application/json'],
      ['x'.repeat(200_000), 'application/json'],
    ];
    for (const [body, type] of bodies) {
      const res = await hook.post(p.callbackPath, body, {
        headers: { 'content-type': type },
        transformRequest: (d) => d,
      });
      expect([res.status, res.data]).toEqual([200, ACK]);
    }
    const rows = await inboxFor(p.attemptId);
    expect(rows.map((r) => r.state)).toEqual(bodies.map(() => 'invalid'));
    expect(Math.max(...rows.map((r) => r.rawBody.length))).toBeLessThanOrEqual(65_536);
    expect((await payment(p.paymentId)).status).toBe('awaiting_customer');
    const listed = await ops.get('/v1/ops/callbacks', { params: { state: 'invalid', limit: 500 } });
    expect(listed.data.items.map((r: { id: string }) => r.id)).toEqual(
      expect.arrayContaining(rows.map((r) => r.id)),
    );
  });

  it('never marks paid on a wrong amount, a foreign CheckoutRequestID or a receipt already used', async () => {
    const [wrongAmount, mine, theirs, first, second] = await Promise.all([
      accepted(),
      accepted(),
      accepted(other),
      accepted(),
      accepted(),
    ]);
    await post(wrongAmount, stkCallbackBody(wrongAmount, { amount: wrongAmount.amount - 1 }));
    // Tenant A's token carrying tenant B's checkout id: B's payment must not move.
    await post(mine, stkCallbackBody({ ...theirs, amount: mine.amount }));
    const receipt = aReceipt();
    await post(first, stkCallbackBody(first, { receipt }));
    await settled(first.attemptId, 1);
    await post(second, stkCallbackBody(second, { receipt }));
    for (const p of [wrongAmount, mine, second]) await settled(p.attemptId, 1);
    expect((await payment(wrongAmount.paymentId)).status).toBe('awaiting_customer');
    expect((await payment(mine.paymentId)).status).toBe('awaiting_customer');
    expect((await payment(theirs.paymentId)).status).toBe('awaiting_customer');
    expect((await payment(first.paymentId)).status).toBe('succeeded');
    expect((await payment(second.paymentId)).status).toBe('awaiting_customer');
    const kinds = async (paymentId: string) =>
      (
        await db
          .select()
          .from(schema.discrepancies)
          .where(eq(schema.discrepancies.paymentId, paymentId))
      ).map((d) => d.kind);
    expect(await kinds(wrongAmount.paymentId)).toEqual(['amount_mismatch']);
    expect(await kinds(mine.paymentId)).toEqual(['checkout_mismatch']);
    expect(await kinds(theirs.paymentId)).toEqual([]);
    expect(await kinds(second.paymentId)).toEqual(['duplicate_receipt']);
  });

  it('survives arbitrary bodies and mutations: no 5xx, and no change unless it is a valid callback for that attempt', async () => {
    const p = await accepted();
    const valid = stkCallbackBody(p, { resultCode: 1032 });
    const mutation = fc.oneof(
      fc.jsonValue(),
      fc.record({
        Body: fc.record({
          stkCallback: fc.dictionary(
            fc.constantFrom(
              'ResultCode',
              'CheckoutRequestID',
              'MerchantRequestID',
              'ResultDesc',
              'CallbackMetadata',
            ),
            fc.jsonValue(),
          ),
        }),
      }),
      fc.constant(JSON.parse(JSON.stringify(valid).replace(p.checkoutRequestId, 'ws_CO_other'))),
      fc
        .constant({
          Body: { stkCallback: { ...(valid.Body as any).stkCallback, ResultCode: 'SFC_IC0003' } },
        })
        .map((b) => JSON.parse(JSON.stringify(b).replace(p.checkoutRequestId, 'ws_CO_x'))),
    );
    await fc.assert(
      fc.asyncProperty(mutation, async (body) => {
        const res = await post(p, JSON.stringify(body));
        expect(res.status).toBe(200);
      }),
      { numRuns: 60 },
    );
    await eventually(
      () => inboxFor(p.attemptId),
      (rows) => rows.every((r) => r.state !== 'received'),
    );
    expect((await payment(p.paymentId)).status).toBe('awaiting_customer');
    await post(p, valid);
    const ended = await eventually(
      () => payment(p.paymentId),
      (row) => row.status === 'cancelled',
    );
    expect(ended.status).toBe('cancelled');
  });

  it('dead-letters a callback that keeps failing, and an operator can replay it', async () => {
    const p = await accepted();
    const blocker = new Client({ connectionString: process.env.DATABASE_URL });
    await blocker.connect();
    await blocker.query('begin');
    await blocker.query('select 1 from payments where id = $1 for update', [p.paymentId]);
    await post(p, stkCallbackBody(p));
    const dead = await eventually(
      () => inboxFor(p.attemptId),
      (rows) => rows[0]?.state === 'dead',
      20_000,
    );
    expect(dead[0].state).toBe('dead');
    await blocker.query('rollback');
    await blocker.end();
    const listed = await ops.get('/v1/ops/callbacks', { params: { state: 'dead' } });
    expect(listed.data.items.map((r: { id: string }) => r.id)).toContain(dead[0].id);
    expect(listed.data.items[0].rawBody).not.toContain(p.phone);
    const replay = await ops.post(`/v1/ops/callbacks/${dead[0].id}/replay`);
    expect(replay.status).toBe(202);
    const done = await eventually(
      () => payment(p.paymentId),
      (row) => row.status === 'succeeded',
    );
    expect(done.status).toBe('succeeded');
    expect((await owner.post(`/v1/ops/callbacks/${dead[0].id}/replay`)).status).toBe(403);
  });

  it('keeps operators’ lists to ops keys', async () => {
    expect((await owner.get('/v1/ops/callbacks')).status).toBe(403);
    const rows = await db
      .select()
      .from(schema.callbackInbox)
      .where(and(eq(schema.callbackInbox.tenantId, other.tenantId)));
    expect(Array.isArray(rows)).toBe(true);
  });
});
