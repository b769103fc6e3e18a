import { waitFor } from '../../support/processes';
import {
  callbacksFor,
  password,
  push,
  pushBody,
  query,
  sleep,
  token,
  useSimHarness,
} from './sim-harness';

const h = useSimHarness();

describe('daraja-sim: admin API', () => {
  it('overrides the scenario of one phone, and clears it again', async () => {
    const body = pushBody();
    const p = String(body.PhoneNumber);
    expect((await h.http.put(`/sim/scenarios/${p}`, { scenario: 'cancelled' })).status).toBe(200);
    const first = await push(body);
    const [cb] = await callbacksFor(first.data.CheckoutRequestID);
    expect(cb.body.Body.stkCallback.ResultCode).toBe(1032);
    await h.http.put(`/sim/scenarios/${p}`, {
      scenario: 'success',
      resultCode: '17',
      resultDesc: 'Rule limited.',
    });
    const second = await push(body);
    expect(
      (await callbacksFor(second.data.CheckoutRequestID))[0].body.Body.stkCallback.ResultCode,
    ).toBe(17);
    expect((await h.http.delete(`/sim/scenarios/${p}`)).status).toBe(200);
    const third = await push(body);
    expect(
      (await callbacksFor(third.data.CheckoutRequestID))[0].body.Body.stkCallback.ResultCode,
    ).toBe(0);
  });

  it('holds a prompt until the test completes it', async () => {
    const body = pushBody();
    await h.http.put(`/sim/scenarios/${String(body.PhoneNumber)}`, { scenario: 'hold' });
    const res = await push(body);
    const id = res.data.CheckoutRequestID;
    await sleep(150);
    expect((await query(id)).data.errorMessage).toBe('The transaction is being processed');
    const done = await h.http.post(`/sim/transactions/${id}/complete`, {
      resultCode: '1032',
      resultDesc: 'Request cancelled by user',
    });
    expect(done.status).toBe(200);
    expect((await callbacksFor(id))[0].body.Body.stkCallback.ResultCode).toBe(1032);
    expect((await query(id)).data).toMatchObject({ ResultCode: '1032' });
  });

  it('lists requests and callbacks with filters, so a test can assert exactly one push', async () => {
    const body = pushBody();
    const p = String(body.PhoneNumber);
    const res = await push(body);
    await push(pushBody());
    await callbacksFor(res.data.CheckoutRequestID);
    const pushes = await h.http.get(`/sim/requests`, { params: { kind: 'stk_push', phone: p } });
    expect(pushes.data).toHaveLength(1);
    expect(pushes.data[0]).toMatchObject({
      status: 200,
      checkoutRequestId: res.data.CheckoutRequestID,
    });
    const cbs = await h.http.get('/sim/callbacks', {
      params: { checkoutRequestId: res.data.CheckoutRequestID },
    });
    expect(cbs.data).toEqual([
      expect.objectContaining({ outcome: 'delivered', httpStatus: 200, resultCode: 0 }),
    ]);
    expect(
      (await h.http.get('/sim/requests', { params: { kind: 'oauth' } })).data.length,
    ).toBeGreaterThan(0);
  });

  it('drops callbacks on request', async () => {
    await h.http.put('/sim/faults', { callbackDropRate: 1 });
    const res = await push(pushBody());
    const id = res.data.CheckoutRequestID;
    await waitFor(
      async () => h.sim.sim.callbacks({ checkoutRequestId: id }).length === 1,
      3_000,
      10,
    );
    await sleep(50);
    expect(h.sim.sim.callbacks({ checkoutRequestId: id })).toEqual([
      expect.objectContaining({ outcome: 'dropped' }),
    ]);
    expect(h.receiver.forCheckout(id)).toHaveLength(0);
    expect((await query(id)).data.ResultCode).toBe('0');
  });

  it('duplicates callbacks on request', async () => {
    await h.http.put('/sim/faults', { callbackDuplicateRate: 1 });
    const res = await push(pushBody());
    expect(await callbacksFor(res.data.CheckoutRequestID, 2)).toHaveLength(2);
  });

  it('reorders callbacks within a window', async () => {
    await h.http.put('/sim/faults', { callbackReorderWindowMs: 400, seed: 42 });
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push((await push(pushBody())).data.CheckoutRequestID);
    await waitFor(
      async () => ids.every((id) => h.receiver.forCheckout(id).length === 1),
      5_000,
      10,
    );
    const arrival = [...ids].sort(
      (a, b) => h.receiver.forCheckout(a)[0].at - h.receiver.forCheckout(b)[0].at,
    );
    expect(arrival).not.toEqual(ids);
  });

  it('answers HTTP 500 on push before or after the prompt', async () => {
    await h.http.put('/sim/faults', { push500Rate: 1 });
    const before = await push(pushBody());
    expect(before.status).toBe(500);
    expect(before.data).toMatchObject({ errorCode: '500.003.1001' });
    expect(h.sim.sim.listTransactions()).toHaveLength(0);
    await h.http.put('/sim/faults', { push500Mode: 'after_prompt' });
    expect((await push(pushBody())).status).toBe(500);
    expect(h.sim.sim.listTransactions()).toHaveLength(1);
  });

  it('answers 429 and 500 on query on request', async () => {
    const res = await push(pushBody());
    await h.http.put('/sim/faults', { query429Rate: 1 });
    const limited = await query(res.data.CheckoutRequestID);
    expect(limited.status).toBe(429);
    expect(limited.data).toMatchObject({ errorCode: '500.003.02' });
    await h.http.put('/sim/faults', { query429Rate: 0, query500Rate: 1 });
    expect((await query(res.data.CheckoutRequestID)).status).toBe(500);
  });

  it('adds latency', async () => {
    await h.http.put('/sim/faults', { latencyMs: 150 });
    const started = Date.now();
    await token();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('registers a paybill account', async () => {
    const passkey = 'a'.repeat(64);
    expect(
      (await h.http.post('/sim/accounts', { shortcode: '888880', kind: 'paybill', passkey }))
        .status,
    ).toBe(201);
    const res = await push(
      pushBody({
        BusinessShortCode: 888880,
        PartyB: '888880',
        Password: password('888880', passkey),
      }),
    );
    expect(res.status).toBe(200);
    expect(
      (await h.http.get('/sim/accounts')).data.map((a: { shortcode: string }) => a.shortcode),
    ).toContain('888880');
  });

  it('validates admin input', async () => {
    expect((await h.http.put('/sim/faults', { callbackDropRate: 2 })).status).toBe(400);
    expect((await h.http.put('/sim/scenarios/0712345678', { scenario: 'cancelled' })).status).toBe(
      400,
    );
    expect((await h.http.put('/sim/scenarios/254712345678', { scenario: 'nope' })).status).toBe(
      400,
    );
  });

  it('reset forgets requests, overrides and faults', async () => {
    await h.http.put('/sim/faults', { latencyMs: 10 });
    await push(pushBody());
    await h.http.post('/sim/reset');
    const state = (await h.http.get('/sim/state')).data;
    expect(state.faults.latencyMs).toBe(0);
    expect(state.counts).toEqual({ requests: 0, callbacks: 0, transactions: 0 });
  });
});
