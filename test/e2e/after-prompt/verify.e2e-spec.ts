import type { AxiosInstance } from 'axios';
import type { TenantWithKeys } from '../../factories/tenancy';
import { client, eventually } from '../../support/http';
import { canonical, payingPhone, scenarioPhone } from '../../support/nest-apps';
import { startStack, type Stack } from '../../support/stack';
import { discrepanciesOf, paidPayment, useInitiator } from './after-prompt-harness';

describe('verify now', () => {
  let stack: Stack;
  let shop: TenantWithKeys;
  let owner: AxiosInstance;

  beforeAll(async () => {
    stack = await startStack({ sim: { callbackDelayMs: 50 } });
    shop = await stack.shop();
    owner = client(stack.api.url, shop.ownerKey);
    await useInitiator(stack, shop);
  });
  afterAll(() => stack?.close());

  it('finds a success whose callback never came, and shows M-Pesa’s record beside Malipo’s', async () => {
    const phone = scenarioPhone('9999');
    const till = client(stack.api.url, shop.terminalKey);
    const started = await till.post(
      '/v1/payments',
      { orderRef: `VF-${process.pid}-1`, amount: 45, phone },
      { headers: { 'idempotency-key': `vf-${process.pid}-${Math.random()}` } },
    );
    expect(started.status).toBe(201);
    await eventually(
      async () => stack.sim.sim.listTransactions({ phone: canonical(phone) })[0]?.status,
      (s) => s === 'completed',
    );
    expect((await owner.get(`/v1/payments/${started.data.id}`)).data.status).toBe(
      'awaiting_customer',
    );

    const res = await owner.post(`/v1/payments/${started.data.id}/verify`, {});
    expect(res.status).toBe(200);
    expect(res.data.statusBefore).toBe('awaiting_customer');
    expect(res.data.mpesa.stkQuery).toMatchObject({
      state: 'answered',
      outcome: 'paid',
      resultCode: '0',
    });
    expect(res.data.payment).toMatchObject({
      status: 'succeeded',
      receipt: expect.stringMatching(/^[A-Z0-9]{10}$/),
    });
    expect(res.data.mpesa.transactionStatus).toMatchObject({
      state: 'completed',
      found: true,
      receipt: res.data.payment.receipt,
      amount: 45,
      status: 'Completed',
    });
    expect(res.data.mpesa.transactionStatus.debitParty).not.toContain(canonical(phone));
    expect(await discrepanciesOf(stack, shop, started.data.id)).toHaveLength(0);
  });

  it('agrees with a payment that is already right, and changes nothing', async () => {
    const paid = await paidPayment(stack, shop, 46);
    const res = await owner.post(`/v1/payments/${paid.id}/verify`, {});
    expect(res.data).toMatchObject({ statusBefore: 'succeeded', payment: { status: 'succeeded' } });
    expect(res.data.mpesa.transactionStatus).toMatchObject({
      state: 'completed',
      found: true,
      amount: 46,
    });
    expect(await discrepanciesOf(stack, shop, paid.id)).toHaveLength(0);
  });

  it('is for owners and ops of the shop only', async () => {
    const paid = await paidPayment(stack, shop, 47);
    const terminal = client(stack.api.url, shop.terminalKey);
    expect((await terminal.post(`/v1/payments/${paid.id}/verify`, {})).status).toBe(403);
    const other = await stack.shop();
    expect(
      (await client(stack.api.url, other.ownerKey).post(`/v1/payments/${paid.id}/verify`, {}))
        .status,
    ).toBe(404);
    const ops = client(stack.api.url, shop.opsKey, { 'x-tenant-id': shop.tenantId });
    expect((await ops.post(`/v1/payments/${paid.id}/verify`, {})).status).toBe(200);
  });

  it('per-channel limits: an amount outside them is a clear 400 before any push', async () => {
    const other = await stack.shop();
    const ownerOther = client(stack.api.url, other.ownerKey);
    const bad = await ownerOther.put(`/v1/channels/${other.channelId}/limits`, {
      minAmount: 50,
      maxAmount: 10,
    });
    expect(bad.data.code).toBe('VALIDATION.FAILED');
    expect(
      (await ownerOther.put(`/v1/channels/${other.channelId}/limits`, { maxAmount: 250_001 }))
        .status,
    ).toBe(400);
    const set = await ownerOther.put(`/v1/channels/${other.channelId}/limits`, {
      minAmount: 10,
      maxAmount: 500,
    });
    expect(set.data).toMatchObject({ minAmount: 10, maxAmount: 500 });
    expect(
      (await owner.put(`/v1/channels/${other.channelId}/limits`, { minAmount: 1 })).status,
    ).toBe(404);
    const tillOther = client(stack.api.url, other.terminalKey);
    const pushes = stack.sim.sim.requests({ kind: 'stk_push' }).length;
    for (const amount of [9, 501]) {
      const res = await tillOther.post(
        '/v1/payments',
        { orderRef: `LIM-${process.pid}-${amount}`, amount, phone: payingPhone() },
        { headers: { 'idempotency-key': `lim-${Math.random()}` } },
      );
      expect(res.status).toBe(400);
      expect(res.data).toMatchObject({
        code: 'PAYMENT.AMOUNT_OUT_OF_RANGE',
        message: expect.stringContaining('between 10 and 500'),
      });
    }
    expect(stack.sim.sim.requests({ kind: 'stk_push' })).toHaveLength(pushes);
    const ok = await tillOther.post(
      '/v1/payments',
      { orderRef: `LIM-${process.pid}-ok`, amount: 10, phone: payingPhone() },
      { headers: { 'idempotency-key': `lim-${Math.random()}` } },
    );
    expect(ok.status).toBe(201);
  });
});
