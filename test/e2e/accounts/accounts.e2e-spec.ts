import type { AxiosInstance } from 'axios';
import type { TenantWithKeys } from '../../factories/tenancy';
import { client, eventually } from '../../support/http';
import { payingPhone } from '../../support/nest-apps';
import { startStack, type Stack } from '../../support/stack';
import { secondOwnerKey, useInitiator } from '../after-prompt/after-prompt-harness';

interface Entry {
  type: string;
  amount: number;
  balanceBefore: number;
  balanceAfter: number;
  paymentId: string | null;
  receipt: string | null;
}

describe('customer accounts and the ledger', () => {
  let stack: Stack;
  let shop: TenantWithKeys;
  let owner: AxiosInstance;
  let till: AxiosInstance;
  let checker: AxiosInstance;
  let seq = 0;

  beforeAll(async () => {
    stack = await startStack({ sim: { callbackDelayMs: 50 } });
    shop = await stack.shop();
    owner = client(stack.api.url, shop.ownerKey);
    till = client(stack.api.url, shop.terminalKey);
    checker = client(stack.api.url, await secondOwnerKey(stack, shop));
  });
  afterAll(async () => {
    await stack?.close();
  });

  const key = () => ({ headers: { 'idempotency-key': `acc-${process.pid}-${++seq}` } });
  const openAccount = async (name = 'Amina') => {
    const res = await owner.post('/v1/accounts', { name, phone: '0712345678' });
    expect(res.status).toBe(201);
    return res.data as { id: string; code: string; balance: number; phone: string };
  };
  const balanceOf = async (id: string) => (await owner.get(`/v1/accounts/${id}`)).data.balance;
  const statement = async (id: string) =>
    (await owner.get(`/v1/accounts/${id}/statement`)).data.data as Entry[];

  async function deposit(accountId: string, amount: number) {
    const res = await till.post('/v1/payments', { accountId, amount, phone: payingPhone() }, key());
    expect(res.status).toBe(201);
    expect(res.data.accountId).toBe(accountId);
    const done = await eventually(
      () => owner.get(`/v1/payments/${res.data.id}`),
      (r) => r.data.status === 'succeeded',
    );
    return done.data as { id: string; receipt: string; orderRef: string };
  }

  it('credits a deposit paid through the simulator, and the statement shows it', async () => {
    const account = await openAccount();
    expect(account).toMatchObject({ balance: 0, phone: '254712345678' });
    expect((await till.get(`/v1/accounts/${account.id}`)).data.phone).toBe('*********678');
    const paid = await deposit(account.id, 200);
    expect(paid.orderRef.startsWith(account.code)).toBe(true);
    // Daraja's AccountReference (at most 12 characters) is the account's code, not the order.
    const pushes = stack.sim.sim
      .requests({ kind: 'stk_push' })
      .map((r) => r.body as { AccountReference?: string; PhoneNumber?: string | number });
    const sent = pushes.filter((b) => b.AccountReference === account.code);
    expect(sent).toHaveLength(1);
    expect(account.code.length).toBeLessThanOrEqual(12);
    expect(await balanceOf(account.id)).toBe(200);
    expect(await statement(account.id)).toEqual([
      expect.objectContaining({
        type: 'DEPOSIT',
        amount: 200,
        balanceBefore: 0,
        balanceAfter: 200,
        paymentId: paid.id,
        receipt: paid.receipt,
      }),
    ]);
  });

  it('charges once per key, replays the answer, and refuses what the balance cannot cover', async () => {
    const account = await openAccount();
    await deposit(account.id, 100);
    const path = `/v1/accounts/${account.id}/charges`;
    const k = key();
    const first = await till.post(path, { amount: 70, orderRef: 'LUNCH-1' }, k);
    expect(first.status).toBe(201);
    expect(first.data).toMatchObject({ amount: 70, balanceBefore: 100, balanceAfter: 30 });
    const replay = await till.post(path, { amount: 70, orderRef: 'LUNCH-1' }, k);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.data.journalId).toBe(first.data.journalId);
    expect((await till.post(path, { amount: 71, orderRef: 'LUNCH-1' }, k)).status).toBe(422);
    const refused = await till.post(path, { amount: 31, orderRef: 'LUNCH-2' }, key());
    expect(refused.status).toBe(409);
    expect(refused.data.code).toBe('ACCOUNT.INSUFFICIENT_BALANCE');
    expect(await balanceOf(account.id)).toBe(30);
    expect((await statement(account.id)).map((e) => [e.type, e.amount])).toEqual([
      ['CHARGE', -70],
      ['DEPOSIT', 100],
    ]);
  });

  it('checks what a deposit names and the shop limits', async () => {
    const account = await openAccount();
    const both = await till.post(
      '/v1/payments',
      { accountId: account.id, orderRef: 'X', amount: 50, phone: payingPhone() },
      key(),
    );
    expect(both.data.code).toBe('PAYMENT.TARGET_REQUIRED');
    const small = await till.post(
      '/v1/payments',
      { accountId: account.id, amount: 5, phone: payingPhone() },
      key(),
    );
    expect([small.status, small.data.code]).toEqual([400, 'ACCOUNT.DEPOSIT_BELOW_MINIMUM']);
    await owner.put('/v1/account-settings', { depositMin: 1, depositMax: 1000 });
    const big = await till.post(
      '/v1/payments',
      { accountId: account.id, amount: 1001, phone: payingPhone() },
      key(),
    );
    expect(big.data.code).toBe('ACCOUNT.DEPOSIT_ABOVE_MAXIMUM');
  });

  it("answers 404 for another shop's account", async () => {
    const account = await openAccount();
    const other = await stack.shop();
    const stranger = client(stack.api.url, other.ownerKey);
    const res = await stranger.get(`/v1/accounts/${account.id}`);
    expect([res.status, res.data.code]).toEqual([404, 'ACCOUNT.NOT_FOUND']);
    const charge = await client(stack.api.url, other.terminalKey).post(
      `/v1/accounts/${account.id}/charges`,
      { amount: 1, orderRef: 'X' },
      key(),
    );
    expect(charge.data.code).toBe('ACCOUNT.NOT_FOUND');
    expect((await stranger.get(`/v1/accounts/${account.id}/statement`)).status).toBe(404);
  });

  it('exports the statement as CSV', async () => {
    const account = await openAccount();
    await deposit(account.id, 40);
    const csv = await owner.get(`/v1/accounts/${account.id}/statement?format=csv`, {
      responseType: 'text',
    });
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = (csv.data as string).trim().split('\r\n');
    expect(lines[0]).toBe(
      'id,at,type,amount,balanceBefore,balanceAfter,paymentId,orderRef,receipt,journalId',
    );
    expect(lines[1]).toContain(',DEPOSIT,40,0,40,');
  });

  it('posts an adjustment only when a second key approves it', async () => {
    const account = await openAccount();
    const asked = await owner.post(`/v1/accounts/${account.id}/adjustments`, {
      amount: 25,
      reason: 'Paid cash at the office',
    });
    expect(asked.status).toBe(201);
    const approve = `/v1/accounts/${account.id}/adjustments/${asked.data.id}/approve`;
    expect((await owner.post(approve, {})).data.code).toBe('ADJUSTMENT.SAME_KEY');
    const approved = await checker.post(approve, {});
    expect(approved.data.state).toBe('approved');
    expect(await balanceOf(account.id)).toBe(25);
    const down = await owner.post(`/v1/accounts/${account.id}/adjustments`, {
      amount: -30,
      reason: 'Too much',
    });
    const refused = await checker.post(
      `/v1/accounts/${account.id}/adjustments/${down.data.id}/approve`,
      {},
    );
    expect(refused.data.code).toBe('ACCOUNT.INSUFFICIENT_BALANCE');
  });

  it('restores the balance when a deposit is reversed, and refuses to reverse spent money', async () => {
    await useInitiator(stack, shop);
    const account = await openAccount();
    const paid = await deposit(account.id, 60);
    const asked = await owner.post(`/v1/payments/${paid.id}/reversals`, { reason: 'Wrong child' });
    expect(asked.status).toBe(201);
    expect((await checker.post(`/v1/reversals/${asked.data.id}/approve`, {})).status).toBe(200);
    await eventually(
      () => owner.get(`/v1/payments/${paid.id}`),
      (r) => r.data.status === 'reversed',
    );
    expect(await balanceOf(account.id)).toBe(0);
    expect((await statement(account.id))[0]).toMatchObject({
      type: 'REVERSAL',
      amount: -60,
      balanceBefore: 60,
      balanceAfter: 0,
    });

    const spent = await deposit(account.id, 50);
    const charge = `/v1/accounts/${account.id}/charges`;
    expect((await till.post(charge, { amount: 20, orderRef: 'S-1' }, key())).status).toBe(201);
    const refused = await owner.post(`/v1/payments/${spent.id}/reversals`, { reason: 'Spent' });
    expect([refused.status, refused.data.code]).toEqual([409, 'ACCOUNT.INSUFFICIENT_BALANCE']);
  });
});
