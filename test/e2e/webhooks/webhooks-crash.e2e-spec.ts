import { asTenantId } from '@malipo/common';
import { PaymentService } from '@malipo/payments';
import { verifyWebhookSignature } from '@malipo/webhooks';
import { createAcceptedPayment, paidEvent } from '../../factories/payments';
import { client, eventually } from '../../support/http';
import { startCompiledWorker } from '../../support/compiled-stack';
import type { RunningProcess } from '../../support/processes';
import { startStack, type Stack } from '../../support/stack';
import { settle, startReceiver, type Answer, type Receiver } from './receiver';

// Needs the compiled worker (`npm test` and `npm run test:e2e` build first).
describe('webhooks survive a worker killed with SIGKILL', () => {
  let stack: Stack;
  let api: Stack['api'];
  let worker: RunningProcess | undefined;
  const receivers: Receiver[] = [];

  const startWorker = () =>
    startCompiledWorker({
      ...stack.env,
      JOB_LOCK_MS: '2000',
      LOG_LEVEL: 'warn',
      WEBHOOK_RETRY_BASE_MS: '200',
      WEBHOOK_RETRY_MAX_MS: '1000',
      WEBHOOK_DISPATCH_EVERY_MS: '100',
      WEBHOOK_SWEEP_AFTER_MS: '3000',
    });

  async function shopWithEndpoint(script: Answer[] = []) {
    const shop = await stack.shop();
    const receiver = await startReceiver(script);
    receivers.push(receiver);
    const created = await client(api.url, shop.ownerKey).post('/v1/webhooks', {
      url: receiver.url,
      eventTypes: ['payment.succeeded'],
    });
    expect(created.status).toBe(201);
    return { shop, receiver, secret: created.data.secret as string };
  }

  /** The payment update, committed through the one state-changing path (in the api process). */
  async function paySucceeded(shop: { tenantId: string; channelId: string }) {
    const p = await createAcceptedPayment(api.app, shop);
    await api.app
      .get(PaymentService)
      .apply(asTenantId(shop.tenantId), p.paymentId, paidEvent(p), { source: 'callback' });
    return p;
  }

  const successes = (r: Receiver) => r.received.filter((x) => x.answered === 200);

  beforeAll(async () => {
    // The compiled worker is started and killed by the tests themselves.
    stack = await startStack({ worker: false });
    api = stack.api;
  });

  afterAll(async () => {
    await worker?.stop('SIGKILL');
    await Promise.all(receivers.map((r) => r.close()));
    await stack?.close();
  });

  it('delivers an update committed while the worker was dead, once, after restart', async () => {
    worker = await startWorker();
    const { shop, receiver, secret } = await shopWithEndpoint();
    await worker.stop('SIGKILL');

    // The api process sends no webhooks: a (re)started worker delivers this one. (Test files
    // share the database, so another file's worker may beat it; it still arrives once.)
    const payment = await paySucceeded(shop);

    worker = await startWorker();
    await eventually(
      async () => receiver.received.length,
      (n) => n >= 1,
      20_000,
    );
    await settle(2_000);
    expect(successes(receiver)).toHaveLength(1);
    expect(receiver.received).toHaveLength(1);
    const [r] = receiver.received;
    const body = JSON.parse(r.body) as { data: { id: string } };
    expect(body.data.id).toBe(payment.paymentId);
    const header = r.headers['malipo-signature'] as string;
    expect(verifyWebhookSignature({ header, body: r.body, secret })).toBe(true);
  });

  it('delivers again after a kill in the middle of a delivery, and stops at the first 200', async () => {
    worker = worker ?? (await startWorker());
    const { shop, receiver, secret } = await shopWithEndpoint(['hang']);
    await paySucceeded(shop);
    await eventually(
      async () => receiver.received.length,
      (n) => n >= 1,
      20_000,
    );
    await worker.stop('SIGKILL');

    worker = await startWorker();
    await eventually(
      async () => successes(receiver).length,
      (n) => n >= 1,
      30_000,
    );
    await settle(2_000);
    expect(successes(receiver)).toHaveLength(1);
    const ids = receiver.received.map((x) => (JSON.parse(x.body) as { id: string }).id);
    expect(new Set(ids).size).toBe(1);
    const last = receiver.received[receiver.received.length - 1];
    const header = last.headers['malipo-signature'] as string;
    expect(verifyWebhookSignature({ header, body: last.body, secret })).toBe(true);
    const log = await client(api.url, shop.ownerKey).get(
      `/v1/webhooks/${(await client(api.url, shop.ownerKey).get('/v1/webhooks')).data.items[0].id}/deliveries`,
    );
    expect(log.data.items).toHaveLength(1);
    expect(log.data.items[0].state).toBe('succeeded');
  });
});
