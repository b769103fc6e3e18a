import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AxiosInstance } from 'axios';
import { verifyWebhookSignature } from '@malipo/webhooks';
import type { Db } from '@malipo/db';
import { createTenantWithKeys, type TenantWithKeys } from '../../factories/tenancy';
import { client, eventually } from '../../support/http';
import { canonical, payingPhone, scenarioPhone } from '../../support/nest-apps';
import { startStack, type Stack } from '../../support/stack';
import { settle, startReceiver, type Answer, type Receiver } from './receiver';

interface Body {
  id: string;
  type: string;
  createdAt: string;
  tenantId: string;
  data: Record<string, unknown> & { seq: number; status: string; phone: string };
}

const WEBHOOK_ENV = {
  WEBHOOK_RETRY_BASE_MS: '200',
  WEBHOOK_RETRY_MAX_MS: '1000',
  WEBHOOK_DISPATCH_EVERY_MS: '100',
  WEBHOOK_RETRY_WINDOW_SECONDS: '5',
  WEBHOOK_DISABLE_AFTER_SECONDS: '2',
  WEBHOOK_SWEEP_AFTER_MS: '3000',
};

describe('webhooks (api + worker + simulator + a local receiver)', () => {
  let api: { app: NestFastifyApplication; url: string };
  let stack: Stack;
  let db: Db;
  const receivers: Receiver[] = [];

  const order = () => `ORD-${Math.random().toString(36).slice(2, 10)}`;
  const bodies = (r: Receiver) => r.received.map((x) => JSON.parse(x.body) as Body);

  async function shopWithEndpoint(eventTypes: string[], script: Answer[] = []) {
    const shop = await createTenantWithKeys(db);
    const receiver = await startReceiver(script);
    receivers.push(receiver);
    const owner = client(api.url, shop.ownerKey);
    const created = await owner.post('/v1/webhooks', { url: receiver.url, eventTypes });
    expect(created.status).toBe(201);
    return { shop, owner, receiver, endpoint: created.data as { id: string; secret: string } };
  }

  async function pay(shop: TenantWithKeys, phone = payingPhone()) {
    const till = client(api.url, shop.terminalKey);
    const res = await till.post(
      '/v1/payments',
      { orderRef: order(), amount: 100, phone },
      { headers: { 'idempotency-key': `k-${Math.random()}` } },
    );
    expect(res.status).toBe(201);
    return res.data as { id: string };
  }

  const deliveriesOf = (owner: AxiosInstance, endpointId: string) =>
    owner.get(`/v1/webhooks/${endpointId}/deliveries`);

  beforeAll(async () => {
    stack = await startStack({
      sim: { callbackDelayMs: 100, lateCallbackMs: 1_000 },
      env: { STK_TIMEOUT_SECONDS: '60', ...WEBHOOK_ENV },
    });
    ({ api, db } = stack);
  });

  afterAll(async () => {
    await stack?.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('retries 500, 500 then stops at 200: three signed requests with one id', async () => {
    const { shop, owner, receiver, endpoint } = await shopWithEndpoint(
      ['payment.succeeded'],
      [500, 500],
    );
    expect(endpoint.secret).toMatch(/^whsec_/);
    const phone = payingPhone();
    const payment = await pay(shop, phone);

    await eventually(
      async () => receiver.received.length,
      (n) => n >= 3,
      40_000,
    );
    await settle(1_500);
    expect(receiver.received.map((r) => r.answered)).toEqual([500, 500, 200]);
    const sent = bodies(receiver);
    expect(new Set(sent.map((b) => b.id)).size).toBe(1);
    for (const [i, r] of receiver.received.entries()) {
      const header = r.headers['malipo-signature'] as string;
      expect(verifyWebhookSignature({ header, body: r.body, secret: endpoint.secret })).toBe(true);
      expect(r.headers['malipo-event-id']).toBe(sent[i].id);
    }
    expect(sent[0]).toMatchObject({
      type: 'payment.succeeded',
      tenantId: shop.tenantId,
      data: { id: payment.id, status: 'succeeded', phone: canonical(phone) },
    });
    expect(sent[0].data.seq).toEqual(expect.any(Number));
    expect(sent[0].data.receipt).toMatch(/^[A-Z0-9]{10}$/);

    const log = await deliveriesOf(owner, endpoint.id);
    expect(log.status).toBe(200);
    expect(log.data.items).toHaveLength(1);
    const [delivery] = log.data.items;
    expect(delivery).toMatchObject({ state: 'succeeded', attempts: 3, eventId: sent[0].id });
    expect(delivery.log.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 500, 200]);
    for (const a of delivery.log) {
      expect(a.latencyMs).toEqual(expect.any(Number));
      expect(Buffer.byteLength(a.responseBody)).toBeLessThanOrEqual(1024);
    }
    const view = await owner.get(`/v1/webhooks/${endpoint.id}`);
    expect(view.status).toBe(200);
    expect(JSON.stringify(view.data)).not.toContain(endpoint.secret);
    expect(view.data).toMatchObject({ enabled: true, failingSince: null });
  });

  it('sends payment.updated for every change, in seq order, and only the outcome it reached', async () => {
    const { shop, receiver } = await shopWithEndpoint(['payment.updated', 'payment.succeeded']);
    await pay(shop, scenarioPhone('1032')); // the customer cancels
    await eventually(
      async () => bodies(receiver).filter((b) => b.data.status === 'cancelled').length,
      (n) => n >= 1,
      20_000,
    );
    await settle(500);
    const sent = bodies(receiver);
    expect(sent.every((b) => b.type === 'payment.updated')).toBe(true);
    const seqs = sent.map((b) => b.data.seq).sort((a, b) => a - b);
    expect(seqs.length).toBeGreaterThanOrEqual(2);
    expect(new Set(sent.map((b) => b.id)).size).toBe(sent.length);
    const bySeq = [...sent].sort((a, b) => a.data.seq - b.data.seq);
    expect(bySeq[bySeq.length - 1].data.status).toBe('cancelled');
  });

  it("hides one tenant's endpoints and deliveries from another; ops act through x-tenant-id", async () => {
    const { shop, owner, receiver, endpoint } = await shopWithEndpoint(['payment.succeeded']);
    await pay(shop);
    await eventually(
      async () => receiver.received.length,
      (n) => n >= 1,
      20_000,
    );
    const [delivery] = (await deliveriesOf(owner, endpoint.id)).data.items as { id: string }[];

    const other = await createTenantWithKeys(db);
    const stranger = client(api.url, other.ownerKey);
    expect((await stranger.get('/v1/webhooks')).data.items).toEqual([]);
    expect((await stranger.get(`/v1/webhooks/${endpoint.id}`)).status).toBe(404);
    expect((await deliveriesOf(stranger, endpoint.id)).status).toBe(404);
    expect((await stranger.patch(`/v1/webhooks/${endpoint.id}`, { enabled: false })).status).toBe(
      404,
    );
    expect((await stranger.post(`/v1/webhooks/${endpoint.id}/rotate-secret`, {})).status).toBe(404);
    expect((await stranger.delete(`/v1/webhooks/${endpoint.id}`)).status).toBe(404);
    expect((await stranger.post(`/v1/webhooks/deliveries/${delivery.id}/redeliver`)).status).toBe(
      404,
    );
    const till = client(api.url, shop.terminalKey);
    expect((await till.get('/v1/webhooks')).status).toBe(403);

    const ops = client(api.url, shop.opsKey, { 'x-tenant-id': shop.tenantId });
    expect((await ops.get(`/v1/webhooks/${endpoint.id}`)).status).toBe(200);
    const opsForOther = client(api.url, shop.opsKey, { 'x-tenant-id': other.tenantId });
    expect((await opsForOther.get(`/v1/webhooks/${endpoint.id}`)).status).toBe(404);

    await settle(300);
    expect(receiver.received).toHaveLength(1);
    const again = await owner.post(`/v1/webhooks/deliveries/${delivery.id}/redeliver`);
    expect(again.status).toBe(202);
    await eventually(
      async () => receiver.received.length,
      (n) => n >= 2,
      10_000,
    );
    const [first, second] = bodies(receiver);
    expect(second.id).toBe(first.id);
    expect(second).toEqual(first);
  });

  it('signs with both secrets during a rotation overlap, and only the new one after it', async () => {
    const { shop, owner, receiver, endpoint } = await shopWithEndpoint(['payment.succeeded']);
    const rotated = await owner.post(`/v1/webhooks/${endpoint.id}/rotate-secret`, {
      overlapSeconds: 3600,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.data.secret).not.toBe(endpoint.secret);
    expect(rotated.data.previousSecretExpiresAt).toEqual(expect.any(String));
    await pay(shop);
    await eventually(
      async () => receiver.received.length,
      (n) => n >= 1,
      20_000,
    );
    const [r] = receiver.received;
    const header = r.headers['malipo-signature'] as string;
    expect(header.match(/v1=/g)).toHaveLength(2);
    for (const secret of [endpoint.secret, rotated.data.secret as string]) {
      expect(verifyWebhookSignature({ header, body: r.body, secret })).toBe(true);
    }

    const noOverlap = await owner.post(`/v1/webhooks/${endpoint.id}/rotate-secret`, {
      overlapSeconds: 0,
    });
    const [delivery] = (await deliveriesOf(owner, endpoint.id)).data.items as { id: string }[];
    await owner.post(`/v1/webhooks/deliveries/${delivery.id}/redeliver`);
    await eventually(
      async () => receiver.received.length,
      (n) => n >= 2,
      10_000,
    );
    const later = receiver.received[1];
    const laterHeader = later.headers['malipo-signature'] as string;
    expect(laterHeader.match(/v1=/g)).toHaveLength(1);
    const ok = (secret: string) =>
      verifyWebhookSignature({ header: laterHeader, body: later.body, secret });
    expect(ok(noOverlap.data.secret)).toBe(true);
    expect(ok(rotated.data.secret)).toBe(false);
  });

  it('disables an endpoint that failed every delivery for the window and says why', async () => {
    const { shop, owner, receiver, endpoint } = await shopWithEndpoint(
      ['payment.succeeded'],
      Array<Answer>(200).fill(503),
    );
    await pay(shop);
    const view = await eventually(
      () => owner.get(`/v1/webhooks/${endpoint.id}`),
      (r) => r.data.enabled === false,
      20_000,
    );
    expect(view.data.disabledReason).toMatch(/every delivery failed since .*HTTP 503/);
    const log = await eventually(
      () => deliveriesOf(owner, endpoint.id),
      (r) => r.data.items[0]?.state === 'failed',
      10_000,
    );
    expect(log.data.items[0].attempts).toBeGreaterThanOrEqual(2);
    const count = receiver.received.length;
    await settle(1_500);
    expect(receiver.received).toHaveLength(count);
  });

  it('manages endpoints: validation, update, disable, delete', async () => {
    const shop = await createTenantWithKeys(db);
    const owner = client(api.url, shop.ownerKey);
    expect(
      (
        await owner.post('/v1/webhooks', {
          url: 'ftp://x.test/',
          eventTypes: ['payment.succeeded'],
        })
      ).status,
    ).toBe(400);
    expect(
      (await owner.post('/v1/webhooks', { url: 'http://127.0.0.1:9/', eventTypes: ['nope'] }))
        .status,
    ).toBe(400);
    expect(
      (await owner.post('/v1/webhooks', { url: 'http://127.0.0.1:9/', eventTypes: [] })).status,
    ).toBe(400);
    const created = await owner.post('/v1/webhooks', {
      url: 'http://127.0.0.1:9/h',
      eventTypes: ['payment.failed'],
      description: 'POS',
    });
    expect(created.status).toBe(201);
    const id = created.data.id as string;
    const updated = await owner.patch(`/v1/webhooks/${id}`, {
      eventTypes: ['payment.failed', 'discrepancy.opened'],
      url: 'http://127.0.0.1:10/h2',
    });
    expect(updated.data).toMatchObject({
      eventTypes: ['payment.failed', 'discrepancy.opened'],
      url: 'http://127.0.0.1:10/h2',
    });
    expect(updated.data.secret).toBeUndefined();
    const disabled = await owner.post(`/v1/webhooks/${id}/disable`);
    expect(disabled.data).toMatchObject({
      enabled: false,
      disabledReason: 'disabled by the owner',
    });
    const enabled = await owner.patch(`/v1/webhooks/${id}`, { enabled: true });
    expect(enabled.data).toMatchObject({ enabled: true, disabledReason: null });
    expect((await owner.get('/v1/webhooks')).data.items).toHaveLength(1);
    expect((await owner.delete(`/v1/webhooks/${id}`)).status).toBe(204);
    expect((await owner.get(`/v1/webhooks/${id}`)).status).toBe(404);
    expect((await owner.get('/v1/webhooks')).data.items).toHaveLength(0);
  });
});
