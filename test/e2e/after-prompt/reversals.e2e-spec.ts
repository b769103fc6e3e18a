import { schema } from '@malipo/db';
import type { AxiosInstance } from 'axios';
import { and, eq } from 'drizzle-orm';
import type { TenantWithKeys } from '../../factories/tenancy';
import { client, eventually } from '../../support/http';
import { startReceiver, type Receiver } from '../webhooks/receiver';
import { startStack, type Stack } from '../../support/stack';
import {
  discrepanciesOf,
  paidPayment,
  secondOwnerKey,
  statusOf,
  useInitiator,
} from './after-prompt-harness';

describe('reversals with two people', () => {
  let stack: Stack;
  let shop: TenantWithKeys;
  let owner: AxiosInstance;
  let checker: AxiosInstance;
  let backend: Receiver;

  beforeAll(async () => {
    stack = await startStack({
      sim: { callbackDelayMs: 50 },
      env: { WEBHOOK_DISPATCH_EVERY_MS: '100' },
    });
    shop = await stack.shop();
    owner = client(stack.api.url, shop.ownerKey);
    checker = client(stack.api.url, await secondOwnerKey(stack, shop));
    backend = await startReceiver();
    const endpoint = await owner.post('/v1/webhooks', {
      url: backend.url,
      eventTypes: ['payment.reversed'],
    });
    expect(endpoint.status).toBe(201);
  });
  afterAll(async () => {
    await backend?.close();
    await stack?.close();
  });

  const reversedWebhooks = (paymentId: string) =>
    backend.received
      .map((r) => JSON.parse(r.body) as { type: string; data: { id: string; status: string } })
      .filter((b) => b.data.id === paymentId);

  const reversalRequests = () =>
    stack.sim.sim.requests({ kind: 'other' }).filter((r) => r.path.includes('reversal'));
  const reversedEvents = async (paymentId: string) =>
    stack.db
      .select()
      .from(schema.paymentEvents)
      .where(
        and(
          eq(schema.paymentEvents.paymentId, paymentId),
          eq(schema.paymentEvents.type, 'reversed'),
        ),
      );

  it('keeps the initiator secret: the channel view says only that one is set', async () => {
    await useInitiator(stack, shop);
    const view = await owner.get(`/v1/channels/${shop.channelId}`);
    expect(view.data).toMatchObject({
      initiatorName: expect.any(String),
      hasInitiatorCredentials: true,
    });
    expect(JSON.stringify(view.data)).not.toMatch(/Pw#|BEGIN CERTIFICATE|initiatorPassword/);
  });

  it('is asked, refused without a second key, approved, and applied once though the result came twice', async () => {
    await useInitiator(stack, shop, { delivery: 'twice' });
    const paid = await paidPayment(stack, shop, 30);
    const terminal = client(stack.api.url, shop.terminalKey);
    expect(
      (await terminal.post(`/v1/payments/${paid.id}/reversals`, { reason: 'x1' })).status,
    ).toBe(403);
    expect((await owner.post(`/v1/payments/${paid.id}/reversals`, {})).data.code).toBe(
      'VALIDATION.FAILED',
    );
    const asked = await owner.post(`/v1/payments/${paid.id}/reversals`, {
      reason: 'Goods returned',
    });
    expect(asked.status).toBe(201);
    expect(asked.data).toMatchObject({
      state: 'pending_approval',
      amount: 30,
      receipt: paid.receipt,
    });
    const again = await owner.post(`/v1/payments/${paid.id}/reversals`, { reason: 'Again' });
    expect(again.data.code).toBe('REVERSAL.ALREADY_REQUESTED');

    const self = await owner.post(`/v1/reversals/${asked.data.id}/approve`, {});
    expect(self.status).toBe(403);
    expect(self.data.code).toBe('REVERSAL.SAME_KEY');
    expect(reversalRequests()).toHaveLength(0);
    expect(await statusOf(owner, paid.id)).toBe('succeeded');

    const approved = await checker.post(`/v1/reversals/${asked.data.id}/approve`, { note: 'ok' });
    expect(approved.status).toBe(200);
    expect(['sent', 'succeeded']).toContain(approved.data.state);
    const reversed = await eventually(
      () => statusOf(owner, paid.id),
      (s) => s === 'reversed',
    );
    expect(reversed).toBe('reversed');
    await eventually(
      async () =>
        stack.sim.sim.poster.deliveries().filter((d) => d.command === 'TransactionReversal').length,
      (n) => n >= 2,
    );
    const inbox = await eventually(
      () =>
        stack.db
          .select()
          .from(schema.darajaInbox)
          .where(eq(schema.darajaInbox.tenantId, shop.tenantId)),
      (rows) => rows.filter((r) => r.state === 'processed').length >= 2,
    );
    expect(inbox.filter((r) => r.kind === 'result' && r.state === 'processed')).toHaveLength(2);
    expect(await reversedEvents(paid.id)).toHaveLength(1);
    await eventually(
      async () => reversedWebhooks(paid.id).length,
      (n) => n > 0,
    );
    expect(reversedWebhooks(paid.id)).toEqual([
      expect.objectContaining({
        type: 'payment.reversed',
        data: expect.objectContaining({ status: 'reversed' }),
      }),
    ]);
    const [rev] = (await owner.get(`/v1/payments/${paid.id}/reversals`)).data;
    expect(rev).toMatchObject({
      state: 'succeeded',
      reversalReceipt: expect.stringMatching(/^[A-Z0-9]{10}$/),
    });
    expect(reversalRequests()).toHaveLength(1);
    expect((await checker.post(`/v1/reversals/${asked.data.id}/approve`, {})).data.code).toBe(
      'REVERSAL.NOT_PENDING',
    );
  });

  it('a failed reversal (2001) leaves the payment succeeded and opens a discrepancy', async () => {
    await useInitiator(stack, shop, { wrongPassword: true });
    const paid = await paidPayment(stack, shop, 31);
    const asked = await owner.post(`/v1/payments/${paid.id}/reversals`, { reason: 'Refund' });
    await checker.post(`/v1/reversals/${asked.data.id}/approve`, {});
    const [rev] = (
      await eventually(
        () => owner.get(`/v1/payments/${paid.id}/reversals`),
        (r) => r.data[0]?.state === 'failed',
      )
    ).data;
    expect(rev).toMatchObject({ state: 'failed', resultCode: '2001' });
    expect(await statusOf(owner, paid.id)).toBe('succeeded');
    expect((await discrepanciesOf(stack, shop, paid.id)).map((d) => d.kind)).toEqual([
      'reversal_failed',
    ]);
  });

  it('an unanswered reversal (queue timeout) is unknown with a discrepancy; a rejected one may be asked again', async () => {
    await useInitiator(stack, shop, { delivery: 'queue_timeout' });
    const paid = await paidPayment(stack, shop, 32);
    const first = await owner.post(`/v1/payments/${paid.id}/reversals`, { reason: 'Refund' });
    expect(
      (await checker.post(`/v1/reversals/${first.data.id}/reject`, { note: 'no' })).data.state,
    ).toBe('rejected');
    const asked = await owner.post(`/v1/payments/${paid.id}/reversals`, { reason: 'Refund again' });
    expect(asked.status).toBe(201);
    await checker.post(`/v1/reversals/${asked.data.id}/approve`, {});
    await eventually(
      () => discrepanciesOf(stack, shop, paid.id),
      (rows) => rows.length > 0,
    );
    expect((await discrepanciesOf(stack, shop, paid.id)).map((d) => d.kind)).toEqual([
      'reversal_unanswered',
    ]);
    const states = (await owner.get(`/v1/payments/${paid.id}/reversals`)).data.map(
      (r: { state: string }) => r.state,
    );
    expect(states.sort()).toEqual(['rejected', 'unknown']);
    expect(await statusOf(owner, paid.id)).toBe('succeeded');
  });

  it('an approval that cannot be sent leaves the reversal pending, not stuck', async () => {
    await useInitiator(stack, shop);
    const paid = await paidPayment(stack, shop, 35);
    const asked = await owner.post(`/v1/payments/${paid.id}/reversals`, { reason: 'Refund' });
    await stack.db
      .update(schema.channels)
      .set({ initiatorSealed: null })
      .where(eq(schema.channels.id, shop.channelId));
    const refused = await checker.post(`/v1/reversals/${asked.data.id}/approve`, {});
    expect(refused.data.code).toBe('CHANNEL.NO_INITIATOR');
    const [rev] = (await owner.get(`/v1/payments/${paid.id}/reversals`)).data;
    expect(rev.state).toBe('pending_approval');
    await useInitiator(stack, shop);
    expect((await checker.post(`/v1/reversals/${asked.data.id}/approve`, {})).status).toBe(200);
  });

  it('a shop whose policy is ops-only needs an operator to approve', async () => {
    await useInitiator(stack, shop);
    const ops = client(stack.api.url, shop.opsKey, { 'x-tenant-id': shop.tenantId });
    expect((await owner.put('/v1/reversal-policy', { approvers: 'owner_or_ops' })).status).toBe(
      403,
    );
    expect((await ops.put('/v1/reversal-policy', { approvers: 'ops' })).data).toEqual({
      approvers: 'ops',
    });
    try {
      const paid = await paidPayment(stack, shop, 34);
      const asked = await owner.post(`/v1/payments/${paid.id}/reversals`, { reason: 'Refund' });
      const byOwner = await checker.post(`/v1/reversals/${asked.data.id}/approve`, {});
      expect(byOwner.data.code).toBe('REVERSAL.APPROVER_NOT_ALLOWED');
      expect((await ops.post(`/v1/reversals/${asked.data.id}/approve`, {})).status).toBe(200);
      await eventually(
        () => statusOf(owner, paid.id),
        (s) => s === 'reversed',
      );
      expect(await statusOf(owner, paid.id)).toBe('reversed');
    } finally {
      await ops.put('/v1/reversal-policy', { approvers: 'owner_or_ops' });
    }
  });

  it("another shop's payment and reversal are not found", async () => {
    await useInitiator(stack, shop);
    const paid = await paidPayment(stack, shop, 33);
    const asked = await owner.post(`/v1/payments/${paid.id}/reversals`, { reason: 'Refund' });
    const other = await stack.shop();
    const stranger = client(stack.api.url, other.ownerKey);
    expect(
      (await stranger.post(`/v1/payments/${paid.id}/reversals`, { reason: 'Steal' })).status,
    ).toBe(404);
    expect((await stranger.get(`/v1/payments/${paid.id}/reversals`)).status).toBe(404);
    expect((await stranger.post(`/v1/reversals/${asked.data.id}/approve`, {})).status).toBe(404);
    expect((await stranger.post(`/v1/reversals/${asked.data.id}/reject`, {})).status).toBe(404);
    const ops = client(stack.api.url, other.opsKey, { 'x-tenant-id': other.tenantId });
    expect((await ops.post(`/v1/reversals/${asked.data.id}/approve`, {})).status).toBe(404);
  });
});
