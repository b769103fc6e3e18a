import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import {
  DarajaClient,
  DarajaError,
  parseStkCallback,
  type DarajaCredentials,
  type DarajaLogger,
  type StkPushInput,
} from '@malipo/daraja';
import { startDarajaSim, type RunningDarajaSim } from '../../../apps/daraja-sim/src/start-sim';
import { SCENARIOS } from '../../../apps/daraja-sim/src/scenarios';
import { SANDBOX_PAYBILL, SIM_TILL } from '../../../apps/daraja-sim/src/sim-settings';
import { freePort, waitFor } from '../../support/processes';
import { startCallbackReceiver } from './callback-receiver';

const CALLBACK_DELAY_MS = 60;
const LATE_CALLBACK_MS = 500;

let sim: RunningDarajaSim;
let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
const redisConnections: Redis[] = [];
const logLines: string[] = [];

const capturingLogger: DarajaLogger = {
  debug: (msg, meta) => logLines.push(`${msg} ${JSON.stringify(meta ?? {})}`),
  warn: (msg, meta) => logLines.push(`${msg} ${JSON.stringify(meta ?? {})}`),
};

function redis(): Redis {
  const r = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
    keyPrefix: `${process.env.REDIS_PREFIX ?? 'malipo_test'}:`,
  });
  redisConnections.push(r);
  return r;
}

function client(opts: { timeoutMs?: number } = {}): DarajaClient {
  return new DarajaClient({
    redis: redis(),
    timeoutMs: opts.timeoutMs ?? 3_000,
    retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 30 },
    tokenPollMs: 20,
    logger: capturingLogger,
  });
}

/** Fresh consumer credentials per test, so each test has its own token cache entry. */
function creds(kind: 'paybill' | 'till' = 'paybill'): DarajaCredentials {
  const consumerKey = `key-${randomBytes(6).toString('hex')}`;
  const consumerSecret = `secret-${randomBytes(6).toString('hex')}`;
  sim.sim.addCredentials(consumerKey, consumerSecret);
  const account = kind === 'till' ? SIM_TILL : SANDBOX_PAYBILL;
  return {
    baseUrl: sim.url,
    kind,
    shortcode: account.shortcode,
    partyB: kind === 'till' ? account.tills[0] : account.shortcode,
    passkey: account.passkey,
    consumerKey,
    consumerSecret,
  };
}

let phoneSeq = 0;
/** A phone whose last four digits pick the scenario; the middle digits keep tests apart. */
function phone(suffix = '5555'): string {
  phoneSeq += 1;
  return `2547${String(10_000 + phoneSeq).slice(-4)}${suffix}`;
}

function input(p: string, amount = 10): StkPushInput {
  return {
    amount,
    phone: p,
    callbackUrl: receiver.url(`/v1/hooks/stk/${randomBytes(8).toString('hex')}`),
    accountReference: 'ORDER42',
    transactionDesc: 'Goods',
  };
}

async function callbackFor(id: string, count = 1) {
  return waitFor(
    async () => {
      const got = receiver.forCheckout(id);
      return got.length >= count ? got : undefined;
    },
    5_000,
    10,
  );
}

const pushes = (p: string) => sim.sim.requests({ kind: 'stk_push', phone: p });
const oauthCalls = (c: DarajaCredentials) =>
  sim.sim.requests({ kind: 'oauth' }).filter((r) => r.consumerKey === c.consumerKey);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  sim = await startDarajaSim({
    port: await freePort(),
    callbackDelayMs: CALLBACK_DELAY_MS,
    lateCallbackMs: LATE_CALLBACK_MS,
    logLevel: 'silent',
  });
  receiver = await startCallbackReceiver();
});

afterAll(async () => {
  await sim?.close();
  await receiver?.close();
  await Promise.all(redisConnections.map((r) => r.quit()));
});

describe('DarajaClient against the simulator: STK push, callback and query', () => {
  it.each(['paybill', 'till'] as const)(
    'a %s payment is accepted, pending, then paid',
    async (kind) => {
      const sut = client();
      const c = creds(kind);
      const p = phone();
      // The customer acts when told: "pending" must not depend on how busy the machine is.
      sim.sim.setScenario(p, { ...SCENARIOS.success, hold: true });
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
      sim.sim.completeNow(accepted.checkoutRequestId);

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
    expect(receiver.forCheckout(accepted.checkoutRequestId)).toHaveLength(0);
    expect(sim.sim.callbacks({ checkoutRequestId: accepted.checkoutRequestId })).toHaveLength(0);
  });

  it('9998: the same success callback arrives three times', async () => {
    const sut = client();
    const accepted = await sut.stkPush(creds(), input(phone('9998')));
    const callbacks = await callbackFor(accepted.checkoutRequestId, 3);
    await sleep(100);
    expect(receiver.forCheckout(accepted.checkoutRequestId)).toHaveLength(3);
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
    expect(receiver.forCheckout(accepted.checkoutRequestId)).toHaveLength(0);
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
      async () => receiver.received.find((r) => req.callbackUrl.endsWith(r.path)),
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
    expect(sim.sim.listTransactions({ phone: p })).toHaveLength(0);
  });

  it('a second push to a phone with a live prompt ends the first with 1001', async () => {
    const sut = client();
    const c = creds();
    const p = phone();
    sim.sim.setSettings({ callbackDelayMs: 400 });
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
      sim.sim.setSettings({ callbackDelayMs: CALLBACK_DELAY_MS });
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
    sim.sim.setFaults({ latencyMs: 500 });
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
      sim.sim.setFaults({ latencyMs: 0 });
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
    sim.sim.setFaults({ query500Rate: 1 });
    try {
      const before = sim.sim.requests({ kind: 'stk_query' }).length;
      const error = await sut.stkQuery(c, accepted.checkoutRequestId).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'DARAJA.SERVER_ERROR',
        retryable: true,
        httpStatus: 500,
      });
      expect(sim.sim.requests({ kind: 'stk_query' }).length - before).toBe(3);
    } finally {
      sim.sim.setFaults({ query500Rate: 0 });
    }
  });

  it('query: a persistent 429 is pending, never a failure', async () => {
    const sut = client();
    const c = creds();
    const accepted = await sut.stkPush(c, input(phone()));
    await callbackFor(accepted.checkoutRequestId);
    sim.sim.setFaults({ query429Rate: 1 });
    try {
      expect(await sut.stkQuery(c, accepted.checkoutRequestId)).toMatchObject({
        kind: 'pending',
        resultCode: '500.003.02',
      });
    } finally {
      sim.sim.setFaults({ query429Rate: 0 });
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

describe('DarajaClient tokens against the simulator', () => {
  it('many concurrent callers on several replicas cause exactly one OAuth call', async () => {
    const c = creds();
    const replicas = [client(), client(), client(), client()];
    const tokens = await Promise.all(
      Array.from({ length: 40 }, (_, i) => replicas[i % replicas.length].getToken(c)),
    );
    expect(new Set(tokens).size).toBe(1);
    expect(oauthCalls(c)).toHaveLength(1);
    // And the shared token works for every replica.
    await Promise.all(replicas.map((r) => r.stkPush(c, input(phone()))));
    expect(oauthCalls(c)).toHaveLength(1);
  });

  it('concurrent pushes after expiry refresh the token once', async () => {
    const c = creds();
    const replicas = [client(), client(), client()];
    await replicas[0].getToken(c);
    sim.sim.setSettings({ tokenTtlSeconds: 2 });
    try {
      const c2 = creds(); // issued with a 2 s lifetime, refreshed by the client after 1.8 s
      await replicas[0].getToken(c2);
      expect(oauthCalls(c2)).toHaveLength(1);
      await sleep(2_050);
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => replicas[i % 3].stkPush(c2, input(phone()))),
      );
      expect(results).toHaveLength(12);
      expect(oauthCalls(c2)).toHaveLength(2);
      // Nobody used a stale token: no push was refused.
      expect(sim.sim.requests({ kind: 'stk_push', status: 404 })).toHaveLength(0);
    } finally {
      sim.sim.setSettings({ tokenTtlSeconds: 3599 });
    }
  });

  it('a token Daraja no longer accepts is cleared and the call retried exactly once', async () => {
    const sut = client();
    const c = creds();
    await sut.getToken(c);
    sim.sim.expireTokens();
    const p = phone();
    const accepted = await sut.stkPush(c, input(p));
    expect(accepted.checkoutRequestId).toBeTruthy();
    expect(pushes(p).map((r) => [r.status, r.errorCode])).toEqual([
      [404, '404.001.03'],
      [200, undefined],
    ]);
    expect(oauthCalls(c)).toHaveLength(2);
    expect(sim.sim.listTransactions({ phone: p })).toHaveLength(1);
  });

  it('gives up after one retry when the token keeps being refused', async () => {
    const sut = client();
    const c = creds();
    const p = phone();
    sim.sim.setFaults({ invalidTokenRate: 1 });
    try {
      const error = await sut.stkPush(c, input(p)).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'DARAJA.INVALID_ACCESS_TOKEN', httpStatus: 404 });
      expect(pushes(p)).toHaveLength(2);
    } finally {
      sim.sim.setFaults({ invalidTokenRate: 0 });
    }
  });

  it('accepts expires_in as a number too', async () => {
    sim.sim.setSettings({ expiresInType: 'number' });
    try {
      const sut = client();
      const c = creds();
      await sut.stkPush(c, input(phone()));
      await sut.stkPush(c, input(phone()));
      expect(oauthCalls(c)).toHaveLength(1);
    } finally {
      sim.sim.setSettings({ expiresInType: 'string' });
    }
  });

  it('checkCredentials tells a wrong consumer secret apart, and that push never left', async () => {
    const c = { ...creds(), consumerSecret: 'wrong' };
    const sut = client();
    expect(await sut.checkCredentials(c)).toMatchObject({
      ok: false,
      reason: 'consumer_credentials',
    });
    expect(await sut.checkCredentials(creds())).toEqual({ ok: true });
    const p = phone();
    const error = await sut.stkPush(c, input(p)).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'DARAJA.INVALID_CONSUMER_CREDENTIALS',
      retryable: false,
      requestMayHaveReachedDaraja: false,
    });
    expect(pushes(p)).toHaveLength(0);
  });

  it('keeps working through a Redis outage with a per-process cache', async () => {
    const deadRedis = new Redis(`redis://127.0.0.1:${await freePort()}`, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    const sut = new DarajaClient({ redis: deadRedis, timeoutMs: 3_000, logger: capturingLogger });
    const c = creds();
    const accepted = await sut.stkPush(c, input(phone()));
    expect(accepted.checkoutRequestId).toBeTruthy();
    await sut.stkPush(c, input(phone()));
    expect(oauthCalls(c)).toHaveLength(1);
    expect(logLines.join('\n')).toContain('redis unavailable');
    deadRedis.disconnect();
  });

  it('never stores the consumer key in Redis and never logs credentials, tokens or phones', async () => {
    const c = creds();
    const r = redis();
    const sut = client();
    const p = phone();
    const token = await sut.getToken(c);
    await sut.stkPush(c, input(p));
    const keys = await r.keys(`${process.env.REDIS_PREFIX ?? 'malipo_test'}:daraja:*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key).not.toContain(c.consumerKey);
    const text = logLines.join('\n');
    for (const secret of [c.consumerKey, c.consumerSecret, c.passkey, token, p, p.slice(-9)]) {
      expect(text).not.toContain(secret);
    }
  });
});
