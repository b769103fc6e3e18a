import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { asTenantId } from '@malipo/common';
import { schema, type Db } from '@malipo/db';
import { CallbackToken } from '@malipo/payments';
import type { AxiosInstance } from 'axios';
import { eq } from 'drizzle-orm';
import { SCENARIOS } from '../../apps/daraja-sim/src/scenarios';
import type { RunningDarajaSim } from '../../apps/daraja-sim/src/start-sim';
import { stkCallbackBody } from '../factories/payments';
import type { TenantWithKeys } from '../factories/tenancy';
import { client, eventually } from '../support/http';
import { canonical, payingPhone, scenarioPhone } from '../support/nest-apps';
import { startStack, type Stack } from '../support/stack';

/** Confirm-by-STK-Query: on such a channel a success callback counts only if Safaricom agrees. */
describe('STK callbacks on a channel that confirms by query', () => {
  let sim: RunningDarajaSim;
  let api: { app: NestFastifyApplication; url: string };
  let worker: INestApplicationContext;
  let db: Db;
  let stack: Stack;
  let shop: TenantWithKeys;
  let till: AxiosInstance;
  let hook: AxiosInstance;

  beforeAll(async () => {
    stack = await startStack({
      sim: { callbackDelayMs: 100 },
      env: { CALLBACK_JOB_ATTEMPTS: '2' },
    });
    ({ sim, api, db } = stack);
    worker = stack.worker!;
    shop = await stack.shop({ confirmWithQuery: true });
    till = client(api.url, shop.terminalKey);
    hook = client(api.url);
  });

  afterAll(() => stack?.close());

  const start = async (phone: string) => {
    const res = await till.post(
      '/v1/payments',
      { orderRef: `CQ-${Math.random()}`, amount: 40, phone },
      { headers: { 'idempotency-key': `cq-${Math.random()}` } },
    );
    expect(res.status).toBe(201);
    return res.data.id as string;
  };
  const row = async (id: string) =>
    (await db.select().from(schema.payments).where(eq(schema.payments.id, id)))[0];
  const attemptOf = async (paymentId: string) =>
    (
      await db
        .select()
        .from(schema.paymentAttempts)
        .where(eq(schema.paymentAttempts.paymentId, paymentId))
    )[0];
  const reachStatus = (id: string, status: string) =>
    eventually(
      () => row(id),
      (p) => p.status === status,
      10_000,
    );
  /** A success callback nobody at Safaricom sent: right token, checkout id and amount. */
  const forgeSuccess = async (paymentId: string) => {
    const attempt = await attemptOf(paymentId);
    const token = worker.get(CallbackToken).issue({
      tenantId: asTenantId(shop.tenantId),
      attemptId: attempt.id,
    });
    const body = stkCallbackBody({
      checkoutRequestId: attempt.checkoutRequestId!,
      merchantRequestId: attempt.merchantRequestId!,
      amount: attempt.amount,
      phone: attempt.phone,
    });
    const res = await hook.post(`/v1/hooks/stk/${token}`, body);
    expect(res.status).toBe(200);
    return attempt;
  };
  const inboxOf = (attemptId: string) =>
    db.select().from(schema.callbackInbox).where(eq(schema.callbackInbox.attemptId, attemptId));
  const settledInbox = (attemptId: string, n: number) =>
    eventually(
      () => inboxOf(attemptId),
      (rows) => rows.length >= n && rows.every((r) => !['received'].includes(r.state)),
      10_000,
    );

  it('applies a genuine success only after STK Query confirmed it, and keeps that evidence', async () => {
    const id = await start(payingPhone());
    await reachStatus(id, 'succeeded');
    const attempt = await attemptOf(id);
    const queries = sim.sim.requests({
      kind: 'stk_query',
      checkoutRequestId: attempt.checkoutRequestId!,
    });
    expect(queries.length).toBeGreaterThanOrEqual(1);
    const events = await db
      .select()
      .from(schema.paymentEvents)
      .where(eq(schema.paymentEvents.paymentId, id));
    const paid = events.find((e) => e.toStatus === 'succeeded')!;
    const data = paid.data as {
      source: string;
      evidence: { confirmedByQuery: { kind: string; resultCode: unknown } };
    };
    expect(data.source).toBe('callback');
    expect(data.evidence.confirmedByQuery.kind).toBe('paid');
    // STK Query answers ResultCode as a string (REFERENCE), the callback as a number.
    expect(String(data.evidence.confirmedByQuery.resultCode)).toBe('0');
    expect((await row(id)).receipt).toMatch(/^[A-Z0-9]{10}$/);
  });

  it('refuses a forged success for a prompt the customer cancelled, and opens a discrepancy', async () => {
    const id = await start(scenarioPhone('1032'));
    await reachStatus(id, 'cancelled');
    const attempt = await forgeSuccess(id);
    const [real, forged] = await settledInbox(attempt.id, 2);
    expect([real.state, forged.state]).toEqual(['processed', 'rejected']);
    expect(forged.lastError).toContain('contradicted by STK Query');
    expect((await row(id)).status).toBe('cancelled');
    const found = await db
      .select()
      .from(schema.discrepancies)
      .where(eq(schema.discrepancies.paymentId, id));
    expect(found.map((d) => d.kind)).toEqual(['unconfirmed_outcome']);
  });

  it('never marks paid while Safaricom has no answer yet; the callback goes to the dead letters', async () => {
    const phone = payingPhone();
    sim.sim.setScenario(canonical(phone), SCENARIOS.hold);
    const id = await start(phone);
    const attempt = await forgeSuccess(id);
    const [dead] = await settledInbox(attempt.id, 1);
    expect(dead.state).toBe('dead');
    expect(dead.lastError).toContain('no final answer');
    expect((await row(id)).status).toBe('awaiting_customer');
  });
});
