import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { schema, type Db } from '@malipo/db';
import { eq } from 'drizzle-orm';
import type { AxiosInstance } from 'axios';
import type { RunningDarajaSim } from '../../../apps/daraja-sim/src/start-sim';
import type { TenantWithKeys } from '../../factories/tenancy';
import { client, eventually } from '../../support/http';
import { canonical, scenarioPhone } from '../../support/nest-apps';
import { startStack, type Stack } from '../../support/stack';

jest.setTimeout(110_000);

/** Short deadlines (30 s, the minimum) and a fast reconciler; late callback after the deadline. */
const DEADLINE_S = 30;
const CUSTOMER_MS = 400;

describe('reconciler (api + worker + simulator)', () => {
  let sim: RunningDarajaSim;
  let api: { app: NestFastifyApplication; url: string };
  let stack: Stack;
  let db: Db;
  let shop: TenantWithKeys;
  let owner: AxiosInstance;

  const order = () => `R-${Math.random().toString(36).slice(2, 10)}`;
  const create = (phone: string, amount: number) =>
    client(api.url, shop.terminalKey).post(
      '/v1/payments',
      { orderRef: order(), amount, phone },
      { headers: { 'idempotency-key': `k-${Math.random()}` } },
    );
  const settled = (id: string, ok: (s: string) => boolean, ms = 20_000) =>
    eventually(
      () => owner.get(`/v1/payments/${id}`),
      (r) => ok(r.data.status),
      ms,
    );
  const discrepanciesOf = (paymentId: string) =>
    db.select().from(schema.discrepancies).where(eq(schema.discrepancies.paymentId, paymentId));
  const eventsOf = async (paymentId: string) =>
    (await owner.get(`/v1/payments/${paymentId}/events`)).data.items as {
      type: string;
      to: string;
    }[];

  beforeAll(async () => {
    stack = await startStack({
      sim: { callbackDelayMs: CUSTOMER_MS, lateCallbackMs: (DEADLINE_S + 8) * 1000 },
      env: {
        STK_TIMEOUT_SECONDS: String(DEADLINE_S),
        RECONCILE_THRESHOLD_SECONDS: '1',
        RECONCILE_TICK_MS: '200',
        RECONCILE_BACKOFF_BASE_MS: '500',
        RECONCILE_BACKOFF_MAX_MS: '2000',
      },
      ownDatabase: true,
    });
    ({ sim, api, db } = stack);
    shop = await stack.shop();
    owner = client(api.url, shop.ownerKey);
  });

  afterAll(() => stack?.close());

  it('resolves lost callbacks, unanswered prompts, unknown pushes and late successes on its own', async () => {
    // 9997: the customer pays only after our deadline; its callback comes later still.
    sim.sim.setSettings({ callbackDelayMs: (DEADLINE_S + 3) * 1000 });
    const late = await create(scenarioPhone('9997'), 97);
    sim.sim.setSettings({ callbackDelayMs: CUSTOMER_MS });
    // An STK push whose answer is lost: no CheckoutRequestID, so only a callback could tell.
    sim.sim.setFaults({ push500Rate: 1, push500Mode: 'before_prompt' });
    const unknownPhone = scenarioPhone('5551');
    const unknown = await create(unknownPhone, 55);
    sim.sim.setFaults({ push500Rate: 0 });
    const lostPhone = scenarioPhone('9999');
    const lost = await create(lostPhone, 99);
    const silentPhone = scenarioPhone('1037');
    sim.sim.setScenario(canonical(silentPhone), {
      name: 'no_response_no_callback',
      description: '1037 and the callback is lost',
      resultCode: 1037,
      resultDesc: 'DS timeout user cannot be reached',
      push: 'accept',
      delivery: 'never',
    });
    const silent = await create(silentPhone, 37);
    expect([late, unknown, lost, silent].map((r) => r.data.status)).toEqual([
      'awaiting_customer',
      'unknown',
      'awaiting_customer',
      'awaiting_customer',
    ]);

    // 9999: no callback ever; the query says paid and the statement gives the receipt.
    const paid = await settled(lost.data.id, (s) => s === 'succeeded');
    const [txn] = sim.sim.listTransactions({ phone: canonical(lostPhone) });
    expect(paid.data.status).toBe('succeeded');
    expect(paid.data.receipt).toBe(txn.receipt);
    expect(sim.sim.callbacks({ checkoutRequestId: txn.checkoutRequestId })).toHaveLength(0);
    expect((await eventsOf(lost.data.id)).map((e) => e.to)).toEqual([
      'created',
      'awaiting_customer',
      'succeeded',
    ]);

    // 1037 without a callback: the query's answer ends it.
    const timedOut = await settled(silent.data.id, (s) => s === 'expired');
    expect(timedOut.data).toMatchObject({ status: 'expired', failure: { code: '1037' } });

    // The unknown push is never expired without evidence: past the deadline it stays unknown, an
    // operator is told, and the statement search goes on (nothing was paid here).
    const told = await eventually(
      () => discrepanciesOf(unknown.data.id),
      (ds) => ds.length === 1,
      (DEADLINE_S + 10) * 1000,
    );
    expect(told.map((d) => d.kind)).toEqual(['unconfirmed_outcome']);
    expect((await owner.get(`/v1/payments/${unknown.data.id}`)).data.status).toBe('unknown');
    // No prompt outlives the deadline, so its phone lock went with it: the phone may be asked again.
    const again = await create(unknownPhone, 56);
    expect(again.status).toBe(201);
    // An operator settles it by hand, which closes the discrepancy.
    const ops = client(api.url, shop.opsKey);
    const byHand = await ops.post(
      `/v1/payments/${unknown.data.id}/settle`,
      { outcome: 'not_paid', note: 'Not on the statement' },
      { headers: { 'x-tenant-id': shop.tenantId } },
    );
    expect(byHand.status).toBe(200);
    expect(byHand.data).toMatchObject({ status: 'failed', failure: { code: 'SETTLED_NOT_PAID' } });
    expect((await discrepanciesOf(unknown.data.id)).map((d) => d.state)).toEqual(['resolved']);

    // 9997: expired at the deadline, then succeeded when the late success was found.
    const expired = await settled(
      late.data.id,
      (s) => s !== 'awaiting_customer',
      (DEADLINE_S + 5) * 1000,
    );
    expect(expired.data.status).toBe('expired');
    const won = await settled(late.data.id, (s) => s === 'succeeded', 20_000);
    expect(won.data.receipt).toMatch(/^[A-Z0-9]{10}$/);
    expect((await eventsOf(late.data.id)).map((e) => e.to)).toEqual([
      'created',
      'awaiting_customer',
      'expired',
      'succeeded',
    ]);
    expect((await discrepanciesOf(late.data.id)).map((d) => d.kind)).toEqual(['late_success']);
  });
});
