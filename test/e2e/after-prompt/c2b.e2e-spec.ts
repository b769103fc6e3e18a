import { ChannelsRepository, schema } from '@malipo/db';
import { StatementSweepService } from '@malipo/payments';
import type { AxiosInstance } from 'axios';
import axios from 'axios';
import { eq } from 'drizzle-orm';
import { io, type Socket } from 'socket.io-client';
import type { TenantWithKeys } from '../../factories/tenancy';
import { client, eventually } from '../../support/http';
import { canonical, payingPhone } from '../../support/nest-apps';
import { startStack, type Stack } from '../../support/stack';
import { discrepanciesOf } from './after-prompt-harness';

/** C2B: money paid to the paybill by hand, without (or beside) a prompt. */
describe('incoming payments (C2B)', () => {
  let stack: Stack;
  let shop: TenantWithKeys;
  let owner: AxiosInstance;
  let till: AxiosInstance;
  let socket: Socket;
  const heard: { receipt: string }[] = [];

  beforeAll(async () => {
    stack = await startStack({
      sim: { callbackDelayMs: 50 },
      env: { RECONCILE_STATEMENT_MIN_AGE_MS: '0' },
    });
    shop = await stack.shop();
    owner = client(stack.api.url, shop.ownerKey);
    till = client(stack.api.url, shop.terminalKey);
    socket = io(`${stack.api.url}/terminals`, {
      transports: ['websocket'],
      auth: { token: shop.terminalKey },
      reconnection: false,
      forceNew: true,
    });
    socket.on('incoming_payment.unmatched', (n: { receipt: string }) => heard.push(n));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
  });
  afterAll(async () => {
    socket?.close();
    await stack?.close();
  });

  const payByHand = async (billRefNumber: string, amount: number) => {
    const res = await axios.post(`${stack.sim.url}/sim/c2b/pay`, {
      shortCode: '174379',
      amount,
      phone: '254712345678',
      billRefNumber,
    });
    expect(res.data.outcome).toBe('confirmed');
    return res.data.transId as string;
  };
  const incoming = async (receipt: string) =>
    (await owner.get('/v1/incoming-payments', { params: { receipt } })).data[0];
  const settledIncoming = (receipt: string) =>
    eventually(
      () => incoming(receipt),
      (row) => row !== undefined,
    );

  it('registers the channel with Daraja', async () => {
    const res = await owner.post(`/v1/channels/${shop.channelId}/c2b/register`, {});
    expect(res.data).toEqual({ kind: 'registered', responseDescription: 'Success' });
    const reg = stack.sim.sim.c2b.registration('174379');
    expect(reg?.confirmationUrl).toContain(`${stack.api.url}/v1/hooks/c2b/confirmation/`);
    expect((await owner.get(`/v1/channels/${shop.channelId}`)).data.c2bRegisteredAt).toEqual(
      expect.any(String),
    );
  });

  it('settles the order its account reference names, and the prompt still out changes nothing', async () => {
    const phone = payingPhone();
    await axios.put(`${stack.sim.url}/sim/scenarios/${canonical(phone)}`, {
      scenario: 'success',
      hold: true,
    });
    const orderRef = `C2B-${process.pid}-1`;
    const started = await till.post(
      '/v1/payments',
      { orderRef, amount: 55, phone },
      { headers: { 'idempotency-key': `c2b-${Math.random()}` } },
    );
    expect(started.data.status).toBe('awaiting_customer');
    const receipt = await payByHand(orderRef.toLowerCase(), 55);
    const row = await eventually(
      () => incoming(receipt),
      (r) => r?.status === 'matched',
    );
    expect(row).toMatchObject({ status: 'matched', paymentId: started.data.id, amount: 55 });
    const paid = (await owner.get(`/v1/payments/${started.data.id}`)).data;
    expect(paid).toMatchObject({ status: 'succeeded', receipt });

    // The customer now also answers the prompt: a second receipt, never a second success.
    const [txn] = stack.sim.sim.listTransactions({ phone: canonical(phone) });
    stack.sim.sim.completeNow(txn.checkoutRequestId);
    const kinds = await eventually(
      async () => (await discrepanciesOf(stack, shop, started.data.id)).map((d) => d.kind),
      (k) => k.length > 0,
    );
    expect(kinds).toEqual(['double_payment']);
    expect((await owner.get(`/v1/payments/${started.data.id}`)).data).toMatchObject({
      status: 'succeeded',
      receipt,
    });
  });

  it('keeps an unmatched payment, tells the till live, and a duplicate confirmation changes nothing', async () => {
    const receipt = await payByHand('NOSUCHORDER', 70);
    expect(await settledIncoming(receipt)).toMatchObject({
      status: 'unmatched',
      paymentId: null,
      billRef: 'NOSUCHORDER',
    });
    await eventually(async () => heard.some((n) => n.receipt === receipt), Boolean);
    expect(heard.map((n) => n.receipt)).toContain(receipt);

    const delivery = stack.sim.sim.poster
      .deliveries()
      .find((d) => d.conversationId === receipt && d.kind === 'c2b_confirmation');
    const again = await axios.post(delivery!.url, delivery!.body);
    expect(again.data).toEqual({ ResultCode: 0, ResultDesc: 'Success' });
    const rows = await eventually(
      () =>
        stack.db
          .select()
          .from(schema.darajaInbox)
          .where(eq(schema.darajaInbox.tenantId, shop.tenantId)),
      (r) => r.some((x) => x.lastError === 'duplicate'),
    );
    expect(rows.filter((x) => x.lastError === 'duplicate')).toHaveLength(1);
    expect((await owner.get('/v1/incoming-payments', { params: { receipt } })).data).toHaveLength(
      1,
    );
  });

  it('is attached by a cashier to an order, creating its payment, once', async () => {
    const receipt = await payByHand('WALKIN', 80);
    const row = await settledIncoming(receipt);
    const orderRef = `WALK-${process.pid}`;
    const noPhone = await till.post(`/v1/incoming-payments/${row.id}/attach`, { orderRef });
    expect(noPhone.data.code).toBe('VALIDATION.FAILED');
    const res = await till.post(`/v1/incoming-payments/${row.id}/attach`, {
      orderRef,
      phone: payingPhone(),
    });
    expect(res.status).toBe(200);
    expect(res.data.incoming).toMatchObject({ status: 'attached', paymentId: res.data.payment.id });
    expect(res.data.payment).toMatchObject({ status: 'succeeded', receipt, amount: 80, orderRef });
    const twice = await owner.post(`/v1/incoming-payments/${row.id}/attach`, { orderRef });
    expect(twice.data.code).toBe('INCOMING.ALREADY_SETTLED');
  });

  it('another shop sees none of it and touches none of it', async () => {
    const receipt = await payByHand('OTHERSHOP', 90);
    const row = await settledIncoming(receipt);
    const other = await stack.shop();
    const stranger = client(stack.api.url, other.ownerKey);
    expect((await stranger.get('/v1/incoming-payments', { params: { receipt } })).data).toEqual([]);
    expect(
      (
        await stranger.post(`/v1/incoming-payments/${row.id}/attach`, {
          orderRef: 'X',
          phone: payingPhone(),
        })
      ).status,
    ).toBe(404);
    expect((await stranger.post(`/v1/channels/${shop.channelId}/c2b/register`, {})).status).toBe(
      404,
    );
  });

  it('the statement sweep records money whose confirmation never came', async () => {
    // Point the paybill's confirmation at a dead port: Daraja's notification is lost.
    // Its own consumer key: a new token voids the previous one of the same app (REFERENCE §1.2).
    stack.sim.sim.addCredentials('lost-key', 'lost-secret');
    const basic = Buffer.from('lost-key:lost-secret').toString('base64');
    const { data } = await axios.get(
      `${stack.sim.url}/oauth/v1/generate?grant_type=client_credentials`,
      {
        headers: { Authorization: `Basic ${basic}` },
      },
    );
    const dead = 'http://127.0.0.1:9/lost';
    stack.sim.sim.c2b.register(`Bearer ${data.access_token}`, {
      ShortCode: '174379',
      ResponseType: 'Completed',
      ConfirmationURL: dead,
      ValidationURL: dead,
    });
    const receipt = await payByHand('LOSTNOTE', 95);
    expect(await incoming(receipt)).toBeUndefined();
    const channel = await new ChannelsRepository(stack.db).findById(shop.tenantId, shop.channelId);
    const sweep = stack.worker!.get(StatementSweepService);
    expect(await sweep.sweepChannel(shop.tenantId, channel!, new Date())).toBeGreaterThanOrEqual(1);
    expect(await incoming(receipt)).toMatchObject({
      source: 'pull',
      status: 'unmatched',
      amount: 95,
      billRef: 'LOSTNOTE',
    });
    expect(await sweep.sweepChannel(shop.tenantId, channel!, new Date())).toBe(0);
  });
});
