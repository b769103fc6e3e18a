import type { AxiosInstance } from 'axios';
import { ACCOUNT_BALANCE, type AccountBalanceNotice } from '@malipo/realtime';
import { verifyWebhookSignature } from '@malipo/webhooks';
import { io, type Socket } from 'socket.io-client';
import type { TenantWithKeys } from '../../factories/tenancy';
import { client, eventually } from '../../support/http';
import { payingPhone } from '../../support/nest-apps';
import { startStack, type Stack } from '../../support/stack';
import { startReceiver, type Receiver } from '../webhooks/receiver';
import { connected } from '../realtime/realtime-harness';

interface AccountHook {
  type: string;
  tenantId: string;
  data: { accountId: string; balance: number; entry: { type: string; amount: number } };
}

/** Balance changes reach the till's socket and the shop's account.* webhooks (issue 17). */
describe('accounts live: socket balance notices and account webhooks', () => {
  let stack: Stack;
  let shop: TenantWithKeys;
  let owner: AxiosInstance;
  let till: AxiosInstance;
  let receiver: Receiver;
  let secret: string;
  let socket: Socket;
  const notices: AccountBalanceNotice[] = [];

  beforeAll(async () => {
    stack = await startStack({
      sim: { callbackDelayMs: 50 },
      env: { WEBHOOK_DISPATCH_EVERY_MS: '100', LOG_LEVEL: 'silent' },
    });
    shop = await stack.shop();
    owner = client(stack.api.url, shop.ownerKey);
    till = client(stack.api.url, shop.terminalKey);
    receiver = await startReceiver();
    const endpoint = await owner.post('/v1/webhooks', {
      url: receiver.url,
      eventTypes: ['account.credited', 'account.debited'],
    });
    expect(endpoint.status).toBe(201);
    secret = endpoint.data.secret;
    socket = io(`${stack.api.url}/terminals`, {
      transports: ['websocket'],
      auth: { token: shop.terminalKey },
      reconnection: false,
      forceNew: true,
    });
    socket.on(ACCOUNT_BALANCE, (n: AccountBalanceNotice) => notices.push(n));
    await connected(socket);
  });
  afterAll(async () => {
    socket?.close();
    await receiver?.close();
    await stack?.close();
  });

  const hooks = () => receiver.received.map((r) => JSON.parse(r.body) as AccountHook);

  it('announces a deposit and a charge on the socket and as signed webhooks', async () => {
    const account = (await owner.post('/v1/accounts', { name: 'Live' })).data as { id: string };
    const started = await till.post(
      '/v1/payments',
      { accountId: account.id, amount: 150, phone: payingPhone() },
      { headers: { 'idempotency-key': `live-dep-${process.pid}` } },
    );
    expect(started.status).toBe(201);
    await eventually(
      async () => notices.length,
      (n) => n >= 1,
    );
    const charged = await till.post(
      `/v1/accounts/${account.id}/charges`,
      { amount: 40, orderRef: 'LIVE-1' },
      { headers: { 'idempotency-key': `live-chg-${process.pid}` } },
    );
    expect(charged.status).toBe(201);
    await eventually(
      async () => notices.length,
      (n) => n >= 2,
    );
    expect(notices.map((n) => [n.accountId, n.entry.type, n.entry.amount, n.balance])).toEqual([
      [account.id, 'DEPOSIT', 150, 150],
      [account.id, 'CHARGE', -40, 110],
    ]);
    expect(notices[0]!.entry.paymentId).toBe(started.data.id);

    await eventually(
      async () => receiver.received.length,
      (n) => n >= 2,
    );
    // Deliveries are independent jobs: webhooks promise no order between two events (each body
    // carries its entry and the balance after it), so compare them as a set.
    const sent = hooks()
      .map((h) => [h.type, h.tenantId, h.data.accountId, h.data.entry.type, h.data.balance])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(sent).toEqual([
      ['account.credited', shop.tenantId, account.id, 'DEPOSIT', 150],
      ['account.debited', shop.tenantId, account.id, 'CHARGE', 110],
    ]);
    for (const r of receiver.received) {
      const header = String(r.headers['malipo-signature']);
      expect(verifyWebhookSignature({ header, body: r.body, secret })).toBe(true);
    }
  });
});
