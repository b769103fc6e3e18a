import { DarajaError, parseStkCallback } from '@malipo/daraja';
import { SCENARIOS } from '../../../apps/daraja-sim/src/scenarios';
import { freePort, waitFor } from '../../support/processes';

import {
  useClientHarness,
  CALLBACK_DELAY_MS,
  LATE_CALLBACK_MS,
  client,
  creds,
  phone,
  input,
  callbackFor,
  pushes,
  sleep,
} from './client-harness';

const h = useClientHarness();

describe('DarajaClient against the simulator: STK push, callback and query', () => {
  it.each(['paybill', 'till'] as const)(
    'a %s payment is accepted, pending, then paid',
    async (kind) => {
      const sut = client();
      const c = creds(kind);
      const p = phone();
      // The customer acts when told: "pending" must not depend on how busy the machine is.
      h.sim.sim.setScenario(p, { ...SCENARIOS.success, hold: true });
      const accepted = await sut.stkPush(c, input(p, 25));
      expect(accepted.checkoutRequestId).toMatch(new RegExp(`^ws_CO_\\d{17,}${p.slice(-9)}$`));
      expect(accepted.request).not.toHaveProperty('Password');
      expect(accepted.request).toMatchObject({
        TransactionType: kind === 'till' ? 'CustomerBuyGoodsOnline' : 'CustomerPayBillOnline',
      });
      expect(await sut.stkQuery(c, accepted.checkoutRequestId)).toEqual({
        kind: 'pending',
        resultCode: '500.001.1001',
        resultDesc: 'The transaction is being processed',
      });
      h.sim.sim.completeNow(accepted.checkoutRequestId);

      const [callback] = await callbackFor(accepted.checkoutRequestId);
      expect(callback.raw).toContain('"Value":25.00');
      const parsed = parseStkCallback(callback.body);
      expect(parsed).toEqual({
        ok: true,
        value: {
          merchantRequestId: accepted.merchantRequestId,
          checkoutRequestId: accepted.checkoutRequestId,
          outcome: expect.objectContaining({ kind: 'paid', resultCode: '0', amount: 25, phone: p }),
        },
      });
      if (parsed.ok && parsed.value.outcome.kind === 'paid') {
        expect(parsed.value.outcome.receipt).toMatch(/^[A-Z0-9]{10}$/);
        expect(parsed.value.outcome.transactionDate).toMatch(/^\d{14}$/);
      }
      expect(await sut.stkQuery(c, accepted.checkoutRequestId)).toMatchObject({
        kind: 'paid',
        resultCode: '0',
      });
      expect(pushes(p)).toHaveLength(1);
    },
  );

  it.each([
    ['1032', { kind: 'cancelled_by_customer', resultCode: '1032' }],
    ['0001', { kind: 'failed', resultCode: '1', retryable: true }],
    ['2001', { kind: 'failed', resultCode: '2001', retryable: true }],
    ['1037', { kind: 'timed_out', resultCode: '1037' }],
  ])('phone ending %s: callback and query agree on %j', async (suffix, expected) => {
    const sut = client();
    const c = creds();
    const accepted = await sut.stkPush(c, input(phone(suffix)));
    const [callback] = await callbackFor(accepted.checkoutRequestId);
    const parsed = parseStkCallback(callback.body);
    expect(parsed.ok && parsed.value.outcome).toMatchObject(expected);
    expect(await sut.stkQuery(c, accepted.checkoutRequestId)).toMatchObject(expected);
  });

  it('the sandbox test number 254708374149 never pays: 1037 "No response from user."', async () => {
    const sut = client();
    const c = creds();
    const accepted = await sut.stkPush(c, input('0708 374 149'));
    const [callback] = await callbackFor(accepted.checkoutRequestId);
    expect(parseStkCallback(callback.body)).toMatchObject({
      ok: true,
      value: {
        outcome: { kind: 'timed_out', resultCode: '1037', resultDesc: 'No response from user.' },
      },
    });
  });

  it('9999: paid but no callback; only STK Query reveals it', async () => {
    const sut = client();
    const c = creds();
    const accepted = await sut.stkPush(c, input(phone('9999')));
    const outcome = await waitFor(
      async () => {
        const o = await sut.stkQuery(c, accepted.checkoutRequestId);
        return o.kind === 'pending' ? undefined : o;
      },
      3_000,
      20,
    );
    expect(outcome).toMatchObject({ kind: 'paid', resultCode: '0' });
    await sleep(CALLBACK_DELAY_MS * 3);
    expect(h.receiver.forCheckout(accepted.checkoutRequestId)).toHaveLength(0);
    expect(h.sim.sim.callbacks({ checkoutRequestId: accepted.checkoutRequestId })).toHaveLength(0);
  });

  it('9998: the same success callback arrives three times', async () => {
    const sut = client();
    const accepted = await sut.stkPush(creds(), input(phone('9998')));
    const callbacks = await callbackFor(accepted.checkoutRequestId, 3);
    await sleep(100);
    expect(h.receiver.forCheckout(accepted.checkoutRequestId)).toHaveLength(3);
    expect(new Set(callbacks.map((cb) => cb.raw)).size).toBe(1);
    expect(parseStkCallback(callbacks[0].body)).toMatchObject({
      ok: true,
      value: { outcome: { kind: 'paid' } },
    });
  });

  it('9997: query says paid at the normal time, the callback comes late', async () => {
    const sut = client();
    const c = creds();
    const started = Date.now();
    const accepted = await sut.stkPush(c, input(phone('9997')));
    await sleep(CALLBACK_DELAY_MS * 3);
    expect(await sut.stkQuery(c, accepted.checkoutRequestId)).toMatchObject({ kind: 'paid' });
    expect(h.receiver.forCheckout(accepted.checkoutRequestId)).toHaveLength(0);
    const [callback] = await callbackFor(accepted.checkoutRequestId);
    expect(callback.at - started).toBeGreaterThanOrEqual(LATE_CALLBACK_MS - 20);
  });

  it('9996: HTTP 500 after the prompt went out; the caller must assume it reached Daraja', async () => {
    const sut = client();
    const p = phone('9996');
    const req = input(p);
    const error = await sut.stkPush(creds(), req).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DarajaError);
    expect(error).toMatchObject({
      httpStatus: 500,
      retryable: true,
      requestMayHaveReachedDaraja: true,
      errorCode: '500.003.1001',
    });
    // Never retried automatically: exactly one push reached the simulator.
    expect(pushes(p)).toHaveLength(1);
    // The prompt was real: the success callback still reaches the attempt's URL.
    const got = await waitFor(
      async () => h.receiver.received.find((r) => req.callbackUrl.endsWith(r.path)),
      3_000,
      10,
    );
    expect(parseStkCallback(got.body)).toMatchObject({
      ok: true,
      value: { outcome: { kind: 'paid' } },
    });
  });

  it('9995: "Unable to lock subscriber" is retryable, may have reached Daraja, sends no prompt', async () => {
    const sut = client();
    const p = phone('9995');
    const error = await sut.stkPush(creds(), input(p)).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'DARAJA.SUBSCRIBER_LOCKED',
      httpStatus: 500,
      errorCode: '500.001.1001',
      retryable: true,
      requestMayHaveReachedDaraja: true,
      retryAfterMs: 60_000,
    });
    expect(pushes(p)).toHaveLength(1);
    expect(h.sim.sim.listTransactions({ phone: p })).toHaveLength(0);
  });

  it('a second push to a phone with a live prompt ends the first with 1001', async () => {
    const sut = client();
    const c = creds();
    const p = phone();
    h.sim.sim.setSettings({ callbackDelayMs: 400 });
    try {
      const first = await sut.stkPush(c, input(p));
      const second = await sut.stkPush(c, input(p));
      const [ended] = await callbackFor(first.checkoutRequestId);
      expect(parseStkCallback(ended.body)).toMatchObject({
        ok: true,
        value: { outcome: { kind: 'failed', resultCode: '1001', retryable: true } },
      });
      expect(await sut.stkQuery(c, first.checkoutRequestId)).toMatchObject({
        kind: 'failed',
        resultCode: '1001',
      });
      const [paid] = await callbackFor(second.checkoutRequestId);
      expect(parseStkCallback(paid.body)).toMatchObject({
        ok: true,
        value: { outcome: { kind: 'paid' } },
      });
    } finally {
      h.sim.sim.setSettings({ callbackDelayMs: CALLBACK_DELAY_MS });
    }
  });

  it('a paybill/till mix-up is accepted and then fails with a non-retryable SFC_IC0003', async () => {
    const sut = client();
    const c = { ...creds('till'), partyB: '5999999' };
    const accepted = await sut.stkPush(c, input(phone()));
    const [callback] = await callbackFor(accepted.checkoutRequestId);
    expect(callback.body.Body.stkCallback.ResultCode).toBe('SFC_IC0003');
    expect(parseStkCallback(callback.body)).toMatchObject({
      ok: true,
      value: { outcome: { kind: 'failed', resultCode: 'SFC_IC0003', retryable: false } },
    });
  });

  it('a wrong passkey is a non-retryable configuration error', async () => {
    const error = await client()
      .stkPush({ ...creds(), passkey: 'not-the-passkey' }, input(phone()))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'DARAJA.WRONG_CREDENTIALS',
      retryable: false,
      httpStatus: 500,
    });
  });

  it('a push that times out is not retried and may have reached Daraja', async () => {
    const sut = client({ timeoutMs: 200 });
    const c = creds();
    await sut.getToken(c);
    const p = phone();
    h.sim.sim.setFaults({ latencyMs: 500 });
    try {
      const error = await sut.stkPush(c, input(p)).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'DARAJA.TIMEOUT',
        retryable: true,
        requestMayHaveReachedDaraja: true,
      });
      await sleep(400);
      expect(pushes(p)).toHaveLength(1);
    } finally {
      h.sim.sim.setFaults({ latencyMs: 0 });
    }
  });

  it('a refused connection proves the push never left', async () => {
    const closedPort = await freePort();
    const c = { ...creds(), baseUrl: `http://127.0.0.1:${closedPort}` };
    const sut = client();
    expect(await sut.checkCredentials(c)).toMatchObject({ ok: false, reason: 'unreachable' });
    const error = await sut.stkPush(c, input(phone())).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DARAJA.UNREACHABLE', requestMayHaveReachedDaraja: false });
  });

  it('query: HTTP 500s are retried with a bound, then thrown as retryable', async () => {
    const sut = client();
    const c = creds();
    const accepted = await sut.stkPush(c, input(phone()));
    h.sim.sim.setFaults({ query500Rate: 1 });
    try {
      const before = h.sim.sim.requests({ kind: 'stk_query' }).length;
      const error = await sut.stkQuery(c, accepted.checkoutRequestId).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'DARAJA.SERVER_ERROR',
        retryable: true,
        httpStatus: 500,
      });
      expect(h.sim.sim.requests({ kind: 'stk_query' }).length - before).toBe(3);
    } finally {
      h.sim.sim.setFaults({ query500Rate: 0 });
    }
  });

  it('query: a persistent 429 is pending, never a failure', async () => {
    const sut = client();
    const c = creds();
    const accepted = await sut.stkPush(c, input(phone()));
    await callbackFor(accepted.checkoutRequestId);
    h.sim.sim.setFaults({ query429Rate: 1 });
    try {
      expect(await sut.stkQuery(c, accepted.checkoutRequestId)).toMatchObject({
        kind: 'pending',
        resultCode: '500.003.02',
      });
    } finally {
      h.sim.sim.setFaults({ query429Rate: 0 });
    }
    expect(await sut.stkQuery(c, accepted.checkoutRequestId)).toMatchObject({ kind: 'paid' });
  });

  it('query: an unknown CheckoutRequestID is a non-retryable error', async () => {
    const error = await client()
      .stkQuery(creds(), 'ws_CO_01012025000000000712345678')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DARAJA.UNKNOWN_CHECKOUT_REQUEST', retryable: false });
  });
});
