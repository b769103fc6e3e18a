import type { PaymentUpdated } from '@malipo/realtime';
import { createTenantWithKeys, type TenantWithKeys } from '../../factories/tenancy';
import { payingPhone, scenarioPhone } from '../../support/nest-apps';
import {
  connected,
  http,
  orderRef,
  record,
  startHarness,
  type RealtimeHarness,
  type Recorder,
} from './realtime-harness';

/**
 * Payments are taken on replica B (their callbacks come back to B and the worker applies them);
 * the till's socket is on replica A. Every outcome must still reach the till.
 */
describe('live payment status across api replicas', () => {
  let h: RealtimeHarness;
  let shop: TenantWithKeys;
  let till: Recorder;
  let owner: Recorder;

  beforeAll(async () => {
    h = await startHarness();
    shop = await createTenantWithKeys(h.db);
    till = record(h.a.url, { token: shop.terminalKey });
    owner = record(h.a.url, { token: shop.ownerKey });
    await Promise.all([connected(till.socket), connected(owner.socket)]);
  });

  afterAll(async () => {
    till?.socket.close();
    owner?.socket.close();
    await h?.close();
  });

  const pay = async (phone: string): Promise<string> => {
    const res = await http(h.b.url, shop.terminalKey).post(
      '/v1/payments',
      { orderRef: orderRef(), amount: 10, phone },
      { headers: { 'idempotency-key': `k-${Math.random()}` } },
    );
    expect(res.status).toBe(201);
    return (res.data as { id: string }).id;
  };
  const of = (id: string, events: PaymentUpdated[]) => events.filter((e) => e.payment.id === id);
  const until = (r: Recorder, id: string, status: string) =>
    r.waitFor((e) => of(id, e).some((x) => x.event.to === status)).then((e) => of(id, e));
  const steps = (events: PaymentUpdated[]) => events.map((e) => `${e.event.type}>${e.event.to}`);

  it('success: the worker applies the callback, the till on the other replica hears it', async () => {
    const id = await pay(payingPhone());
    const events = await until(till, id, 'succeeded');
    expect(steps(events)).toEqual(['stk_accepted>awaiting_customer', 'paid>succeeded']);
    expect(events[1].payment).toMatchObject({ id, status: 'succeeded', nextAction: 'none' });
    expect(events[1].payment.receipt).toMatch(/^[A-Z0-9]{10}$/);
    expect(events[1].payment.phone).toMatch(/^\*+\d{3}$/);
    expect(events[1].seq).toBeGreaterThan(events[0].seq);
    // The owner's tenant room gets the same events, with the same sequence numbers.
    const seen = await until(owner, id, 'succeeded');
    expect(seen.map((e) => e.seq)).toEqual(events.map((e) => e.seq));
    expect(seen[1].payment.phone).toMatch(/^\*+\d{3}$/);
  });

  it('customer cancel (1032) arrives as cancelled with retry as the next action', async () => {
    const id = await pay(scenarioPhone('1032'));
    const events = await until(till, id, 'cancelled');
    expect(steps(events)).toEqual([
      'stk_accepted>awaiting_customer',
      'cancelled_by_customer>cancelled',
    ]);
    expect(events[1].payment).toMatchObject({ status: 'cancelled', nextAction: 'retry' });
  });

  it('no answer from the phone (1037) arrives as expired', async () => {
    const id = await pay(scenarioPhone('1037'));
    const events = await until(till, id, 'expired');
    expect(steps(events)).toEqual(['stk_accepted>awaiting_customer', 'timed_out>expired']);
  });

  it('a late success after a cashier cancel (9997) turns the till to succeeded', async () => {
    const id = await pay(scenarioPhone('9997'));
    await until(till, id, 'awaiting_customer');
    const cancel = await http(h.b.url, shop.terminalKey).post(`/v1/payments/${id}/cancel`, {
      reason: 'customer walked away',
    });
    expect(cancel.status).toBe(200);
    const events = await until(till, id, 'succeeded');
    expect(steps(events)).toEqual([
      'stk_accepted>awaiting_customer',
      'cashier_cancelled>cancelled',
      'paid>succeeded',
    ]);
    expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((x, y) => x - y));
  });

  it('never sends a live event twice', () => {
    const seqs = till.events.map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
  });
});
