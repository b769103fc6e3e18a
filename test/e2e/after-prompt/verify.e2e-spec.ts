import type { AxiosInstance } from 'axios';
import type { TenantWithKeys } from '../../factories/tenancy';
import { client, eventually } from '../../support/http';
import { canonical, scenarioPhone } from '../../support/nest-apps';
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
});
