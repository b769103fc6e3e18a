import { readFileSync } from 'node:fs';
import path from 'node:path';
import axios, { type AxiosInstance } from 'axios';
import { startDarajaSim, type RunningDarajaSim } from '../../../apps/daraja-sim/src/start-sim';
import { SANDBOX_PAYBILL, SIM_TILL } from '../../../apps/daraja-sim/src/sim-settings';
import { SCENARIO_BY_SUFFIX } from '../../../apps/daraja-sim/src/scenarios';
import { freePort, waitFor } from '../../support/processes';
import { startCallbackReceiver } from './callback-receiver';

let sim: RunningDarajaSim;
let http: AxiosInstance;
let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;

const basic = (key = 'malipo-sim-key', secret = 'malipo-sim-secret') =>
  `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;

async function token(key?: string, secret?: string): Promise<string> {
  const res = await http.get('/oauth/v1/generate?grant_type=client_credentials', {
    headers: { Authorization: basic(key, secret) },
  });
  expect(res.status).toBe(200);
  return res.data.access_token;
}

const TS = '20250101120000';
const password = (shortcode: string, passkey: string, ts = TS) =>
  Buffer.from(`${shortcode}${passkey}${ts}`).toString('base64');

let seq = 0;
const phone = (suffix = '4321') => `2547${String(20_000 + ++seq).slice(-4)}${suffix}`;

function pushBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const p = phone();
  return {
    BusinessShortCode: 174379,
    Password: password('174379', SANDBOX_PAYBILL.passkey),
    Timestamp: TS,
    TransactionType: 'CustomerPayBillOnline',
    Amount: 10,
    PartyA: p,
    PartyB: '174379',
    PhoneNumber: p,
    CallBackURL: receiver.url(),
    AccountReference: 'INV001',
    TransactionDesc: 'Goods',
    ...overrides,
  };
}

async function push(body: unknown, auth?: string, contentType = 'application/json') {
  return http.post('/mpesa/stkpush/v1/processrequest', body, {
    headers: { Authorization: auth ?? `Bearer ${await token()}`, 'Content-Type': contentType },
  });
}

async function query(
  checkoutRequestId: string,
  shortcode = '174379',
  passkey = SANDBOX_PAYBILL.passkey,
) {
  return http.post(
    '/mpesa/stkpushquery/v1/query',
    {
      BusinessShortCode: shortcode,
      Password: password(shortcode, passkey),
      Timestamp: TS,
      CheckoutRequestID: checkoutRequestId,
    },
    { headers: { Authorization: `Bearer ${await token()}` } },
  );
}

const callbacksFor = (id: string, count = 1) =>
  waitFor(
    async () => {
      const got = receiver.forCheckout(id);
      return got.length >= count ? got : undefined;
    },
    5_000,
    10,
  );

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  sim = await startDarajaSim({ port: await freePort(), callbackDelayMs: 40, logLevel: 'silent' });
  http = axios.create({ baseURL: sim.url, validateStatus: () => true, timeout: 5_000 });
  receiver = await startCallbackReceiver();
});

afterAll(async () => {
  await sim?.close();
  await receiver?.close();
});

beforeEach(async () => {
  expect((await http.post('/sim/reset')).status).toBe(200);
  await http.put('/sim/settings', { callbackDelayMs: 40 });
});

describe('daraja-sim: OAuth', () => {
  it('issues a token with expires_in "3599" as a string by default', async () => {
    const res = await http.get('/oauth/v1/generate?grant_type=client_credentials', {
      headers: { Authorization: basic() },
    });
    expect(res.status).toBe(200);
    expect(res.data).toEqual({
      access_token: expect.stringMatching(/^[A-Za-z0-9]{28}$/),
      expires_in: '3599',
    });
  });

  it.each([
    ['?grant_type=password', basic(), '400.008.02', 'Invalid grant type passed'],
    ['', basic(), '400.008.02', 'Invalid grant type passed'],
    ['?grant_type=client_credentials', 'Bearer abc', '400.008.01', 'Invalid Authentication passed'],
    [
      '?grant_type=client_credentials',
      basic('malipo-sim-key', 'nope'),
      '400.008.01',
      'Invalid Authentication passed',
    ],
  ])('GET /oauth/v1/generate%s → 400 %s', async (qs, auth, errorCode, errorMessage) => {
    const res = await http.get(`/oauth/v1/generate${qs}`, { headers: { Authorization: auth } });
    expect(res.status).toBe(400);
    expect(res.data).toEqual({ requestId: expect.any(String), errorCode, errorMessage });
  });

  it('a new token invalidates the previous one for the same credentials', async () => {
    const first = await token();
    const second = await token();
    const stale = await push(pushBody(), `Bearer ${first}`);
    expect(stale.status).toBe(404);
    expect(stale.data).toMatchObject({
      errorCode: '404.001.03',
      errorMessage: 'Invalid Access Token',
    });
    expect((await push(pushBody(), `Bearer ${second}`)).status).toBe(200);
  });

  it('tokens expire after the configured lifetime', async () => {
    await http.put('/sim/settings', { tokenTtlSeconds: 1 });
    const t = await token();
    expect((await push(pushBody(), `Bearer ${t}`)).status).toBe(200);
    await sleep(1_050);
    expect((await push(pushBody(), `Bearer ${t}`)).data.errorCode).toBe('404.001.03');
  });

  it('registers more credential pairs through the admin API', async () => {
    expect(
      (await http.post('/sim/credentials', { consumerKey: 'k2', consumerSecret: 's2' })).status,
    ).toBe(201);
    expect(await token('k2', 's2')).toHaveLength(28);
  });
});

describe('daraja-sim: STK push validation', () => {
  it("accepts a valid push with Daraja's exact success shape", async () => {
    const body = pushBody();
    const res = await push(body);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({
      MerchantRequestID: expect.stringMatching(
        /^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{8}\d{8}$/,
      ),
      CheckoutRequestID: expect.stringMatching(
        new RegExp(`^ws_CO_\\d{8}\\d{6}\\d{3}${String(body.PhoneNumber).slice(-9)}$`),
      ),
      ResponseCode: '0',
      ResponseDescription: 'Success. Request accepted for processing',
      CustomerMessage: 'Success. Request accepted for processing',
    });
  });

  it('accepts numeric strings and numbers alike', async () => {
    const p = phone();
    const res = await push(
      pushBody({
        BusinessShortCode: '174379',
        Amount: '5',
        PartyA: Number(p),
        PhoneNumber: Number(p),
      }),
    );
    expect(res.status).toBe(200);
  });

  const cases: [string, Record<string, unknown>, number, string, string][] = [
    [
      'a wrong Password',
      { Password: password('174379', 'x'.repeat(64)) },
      500,
      '500.001.1001',
      'Wrong credentials',
    ],
    [
      'a Password built with another timestamp',
      { Timestamp: '20250101120001' },
      500,
      '500.001.1001',
      'Wrong credentials',
    ],
    [
      'an unknown shortcode',
      { BusinessShortCode: 600111 },
      500,
      '500.001.1001',
      'Merchant does not exist',
    ],
    [
      'the till number as shortcode',
      { BusinessShortCode: SIM_TILL.tills[0] },
      500,
      '500.001.1001',
      'Merchant does not exist',
    ],
    [
      'a malformed shortcode',
      { BusinessShortCode: 'abc' },
      400,
      '400.002.02',
      'Bad Request - Invalid BusinessShortCode',
    ],
    [
      'a malformed Timestamp',
      { Timestamp: '2025-01-01' },
      400,
      '400.002.02',
      'Bad Request - Invalid Timestamp',
    ],
    [
      'an unknown TransactionType',
      { TransactionType: 'PayBill' },
      400,
      '400.002.02',
      'Bad Request - Invalid TransactionType',
    ],
    ['a decimal Amount', { Amount: 10.5 }, 400, '400.002.02', 'Bad Request - Invalid Amount'],
    [
      'a decimal Amount string',
      { Amount: '10.50' },
      400,
      '400.002.02',
      'Bad Request - Invalid Amount',
    ],
    ['a zero Amount', { Amount: 0 }, 400, '400.002.02', 'Bad Request - Invalid Amount'],
    [
      'an Amount above 250 000',
      { Amount: 250_001 },
      400,
      '400.002.02',
      'Bad Request - Invalid Amount',
    ],
    [
      'a local-format PhoneNumber',
      { PhoneNumber: '0712345678' },
      400,
      '400.002.02',
      'Bad Request - Invalid PhoneNumber',
    ],
    [
      'a landline PartyA',
      { PartyA: '254202345678' },
      400,
      '400.002.02',
      'Bad Request - Invalid PartyA',
    ],
    [
      '"mpesa" in CallBackURL',
      { CallBackURL: 'https://shop.example.com/mpesa/cb' },
      400,
      '400.002.02',
      'Bad Request - Invalid CallBackURL',
    ],
    [
      '"Safaricom" in CallBackURL',
      { CallBackURL: 'https://Safaricom-hooks.example.com/cb' },
      400,
      '400.002.02',
      'Bad Request - Invalid CallBackURL',
    ],
    [
      '"query" in CallBackURL',
      { CallBackURL: 'https://shop.example.com/stk/query-result' },
      400,
      '400.002.02',
      'Bad Request - Invalid CallBackURL',
    ],
    [
      'a space in CallBackURL',
      { CallBackURL: ' https://shop.example.com/cb' },
      400,
      '400.002.02',
      'Bad Request - Invalid CallBackURL',
    ],
    [
      'a TransactionDesc over 13',
      { TransactionDesc: 'fourteen chars' },
      400,
      '400.002.02',
      'Bad Request - Invalid TransactionDesc',
    ],
  ];

  it.each(cases)('refuses %s', async (_what, patch, status, errorCode, errorMessage) => {
    const res = await push(pushBody(patch));
    expect(res.status).toBe(status);
    expect(res.data).toEqual({ requestId: expect.any(String), errorCode, errorMessage });
    expect(sim.sim.listTransactions()).toHaveLength(0);
  });

  it('answers a form-encoded body with "Invalid BusinessShortCode" and broken JSON with 400.002.05', async () => {
    const form = await push(
      'BusinessShortCode=174379',
      undefined,
      'application/x-www-form-urlencoded',
    );
    expect(form.data).toMatchObject({
      errorCode: '400.002.02',
      errorMessage: 'Bad Request - Invalid BusinessShortCode',
    });
    const broken = await push('{"BusinessShortCode":', undefined, 'application/json');
    expect(broken.status).toBe(400);
    expect(broken.data).toMatchObject({
      errorCode: '400.002.05',
      errorMessage: 'Invalid Request Payload',
    });
  });

  it('refuses a missing or malformed Authorization header', async () => {
    const res = await push(pushBody(), 'Basic abc');
    expect(res.status).toBe(404);
    expect(res.data).toMatchObject({
      errorCode: '404.001.04',
      errorMessage: 'Invalid Authentication Header',
    });
  });

  it('accepts an AccountReference over 12 characters but never prompts: callback 1025', async () => {
    const res = await push(pushBody({ AccountReference: 'ABCDEFGHIJKLM' }));
    expect(res.status).toBe(200);
    const [cb] = await callbacksFor(res.data.CheckoutRequestID);
    expect(cb.body.Body.stkCallback).toMatchObject({ ResultCode: 1025 });
  });

  it('can refuse a long AccountReference synchronously instead', async () => {
    await http.put('/sim/settings', { longAccountReference: 'reject' });
    const res = await push(pushBody({ AccountReference: 'ABCDEFGHIJKLM' }));
    expect(res.data).toMatchObject({
      errorCode: '400.002.02',
      errorMessage: 'Bad Request - Invalid AccountReference',
    });
  });

  it('a Buy Goods push to a paybill is accepted and fails with 2028', async () => {
    const res = await push(pushBody({ TransactionType: 'CustomerBuyGoodsOnline' }));
    expect(res.status).toBe(200);
    const [cb] = await callbacksFor(res.data.CheckoutRequestID);
    expect(cb.body.Body.stkCallback).toMatchObject({ ResultCode: 2028 });
  });

  it('a till push needs the store number as shortcode and the till as PartyB', async () => {
    const till = {
      BusinessShortCode: SIM_TILL.shortcode,
      Password: password(SIM_TILL.shortcode, SIM_TILL.passkey),
      TransactionType: 'CustomerBuyGoodsOnline',
      PartyB: SIM_TILL.tills[0],
    };
    const ok = await push(pushBody(till));
    expect(ok.status).toBe(200);
    const [good] = await callbacksFor(ok.data.CheckoutRequestID);
    expect(good.body.Body.stkCallback.ResultCode).toBe(0);
    const wrong = await push(pushBody({ ...till, PartyB: '174379' }));
    const [bad] = await callbacksFor(wrong.data.CheckoutRequestID);
    expect(bad.body.Body.stkCallback).toMatchObject({
      ResultCode: 'SFC_IC0003',
      ResultDesc: 'The operator does not exist.',
    });
  });
});

describe('daraja-sim: callbacks and STK query', () => {
  it("sends Daraja's exact success callback and answers the query with strings", async () => {
    const body = pushBody({ Amount: 7 });
    const res = await push(body);
    const id = res.data.CheckoutRequestID;
    const pending = await query(id);
    expect(pending.status).toBe(500);
    expect(pending.data).toEqual({
      requestId: id,
      errorCode: '500.001.1001',
      errorMessage: 'The transaction is being processed',
    });

    const [cb] = await callbacksFor(id);
    expect(cb.raw).toContain('{"Name":"Amount","Value":7.00}');
    expect(cb.body).toEqual({
      Body: {
        stkCallback: {
          MerchantRequestID: res.data.MerchantRequestID,
          CheckoutRequestID: id,
          ResultCode: 0,
          ResultDesc: 'The service request is processed successfully.',
          CallbackMetadata: {
            Item: [
              { Name: 'Amount', Value: 7 },
              { Name: 'MpesaReceiptNumber', Value: expect.stringMatching(/^[A-Z0-9]{10}$/) },
              { Name: 'Balance' },
              { Name: 'TransactionDate', Value: expect.any(Number) },
              { Name: 'PhoneNumber', Value: Number(body.PhoneNumber) },
            ],
          },
        },
      },
    });
    const final = await query(id);
    expect(final.status).toBe(200);
    expect(final.data).toEqual({
      ResponseCode: '0',
      ResponseDescription: 'The service request has been accepted successfully',
      MerchantRequestID: res.data.MerchantRequestID,
      CheckoutRequestID: id,
      ResultCode: '0',
      ResultDesc: 'The service request is processed successfully.',
    });
  });

  it("refuses to query another merchant's or an unknown CheckoutRequestID", async () => {
    const res = await push(pushBody());
    const other = await query(res.data.CheckoutRequestID, SIM_TILL.shortcode, SIM_TILL.passkey);
    expect(other.data).toMatchObject({
      errorCode: '400.002.02',
      errorMessage: 'Bad Request - Invalid CheckoutRequestID',
    });
    expect((await query('ws_CO_nope')).status).toBe(400);
  });

  it('every scenario suffix is documented in the table of docs/daraja-simulator.md', () => {
    const doc = readFileSync(path.resolve(__dirname, '../../../docs/daraja-simulator.md'), 'utf8');
    const documented = [...doc.matchAll(/^\| `(\d{4})` \|/gm)].map((m) => m[1]);
    expect(Object.keys(SCENARIO_BY_SUFFIX).sort()).toEqual(documented.sort());
  });

  it('receipts are unique 10-character uppercase alphanumerics', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) ids.push((await push(pushBody())).data.CheckoutRequestID);
    await waitFor(async () => sim.sim.callbacks().length >= 25, 5_000, 20);
    const receipts = ids.map((id) => sim.sim.transaction(id)?.receipt);
    for (const r of receipts) expect(r).toMatch(/^[A-Z0-9]{10}$/);
    expect(new Set(receipts).size).toBe(25);
  });

  it('answers a GET on the STK paths with 405.001', async () => {
    const res = await http.get('/mpesa/stkpush/v1/processrequest');
    expect(res.status).toBe(405);
    expect(res.data).toMatchObject({ errorCode: '405.001', errorMessage: 'Method Not Allowed' });
  });

  it('answers unknown paths like Daraja', async () => {
    const res = await http.post('/mpesa/nothing/v1/here', {});
    expect(res.status).toBe(404);
    expect(res.data).toMatchObject({ errorCode: '404.001.01', errorMessage: 'Resource not found' });
  });
});

describe('daraja-sim: admin API', () => {
  it('overrides the scenario of one phone, and clears it again', async () => {
    const body = pushBody();
    const p = String(body.PhoneNumber);
    expect((await http.put(`/sim/scenarios/${p}`, { scenario: 'cancelled' })).status).toBe(200);
    const first = await push(body);
    const [cb] = await callbacksFor(first.data.CheckoutRequestID);
    expect(cb.body.Body.stkCallback.ResultCode).toBe(1032);
    await http.put(`/sim/scenarios/${p}`, {
      scenario: 'success',
      resultCode: '17',
      resultDesc: 'Rule limited.',
    });
    const second = await push(body);
    expect(
      (await callbacksFor(second.data.CheckoutRequestID))[0].body.Body.stkCallback.ResultCode,
    ).toBe(17);
    expect((await http.delete(`/sim/scenarios/${p}`)).status).toBe(200);
    const third = await push(body);
    expect(
      (await callbacksFor(third.data.CheckoutRequestID))[0].body.Body.stkCallback.ResultCode,
    ).toBe(0);
  });

  it('holds a prompt until the test completes it', async () => {
    const body = pushBody();
    await http.put(`/sim/scenarios/${String(body.PhoneNumber)}`, { scenario: 'hold' });
    const res = await push(body);
    const id = res.data.CheckoutRequestID;
    await sleep(150);
    expect((await query(id)).data.errorMessage).toBe('The transaction is being processed');
    const done = await http.post(`/sim/transactions/${id}/complete`, {
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
    const pushes = await http.get(`/sim/requests`, { params: { kind: 'stk_push', phone: p } });
    expect(pushes.data).toHaveLength(1);
    expect(pushes.data[0]).toMatchObject({
      status: 200,
      checkoutRequestId: res.data.CheckoutRequestID,
    });
    const cbs = await http.get('/sim/callbacks', {
      params: { checkoutRequestId: res.data.CheckoutRequestID },
    });
    expect(cbs.data).toEqual([
      expect.objectContaining({ outcome: 'delivered', httpStatus: 200, resultCode: 0 }),
    ]);
    expect(
      (await http.get('/sim/requests', { params: { kind: 'oauth' } })).data.length,
    ).toBeGreaterThan(0);
  });

  it('drops callbacks on request', async () => {
    await http.put('/sim/faults', { callbackDropRate: 1 });
    const res = await push(pushBody());
    const id = res.data.CheckoutRequestID;
    await waitFor(async () => sim.sim.callbacks({ checkoutRequestId: id }).length === 1, 3_000, 10);
    await sleep(50);
    expect(sim.sim.callbacks({ checkoutRequestId: id })).toEqual([
      expect.objectContaining({ outcome: 'dropped' }),
    ]);
    expect(receiver.forCheckout(id)).toHaveLength(0);
    expect((await query(id)).data.ResultCode).toBe('0');
  });

  it('duplicates callbacks on request', async () => {
    await http.put('/sim/faults', { callbackDuplicateRate: 1 });
    const res = await push(pushBody());
    expect(await callbacksFor(res.data.CheckoutRequestID, 2)).toHaveLength(2);
  });

  it('reorders callbacks within a window', async () => {
    await http.put('/sim/faults', { callbackReorderWindowMs: 400, seed: 42 });
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) ids.push((await push(pushBody())).data.CheckoutRequestID);
    await waitFor(async () => ids.every((id) => receiver.forCheckout(id).length === 1), 5_000, 10);
    const arrival = [...ids].sort(
      (a, b) => receiver.forCheckout(a)[0].at - receiver.forCheckout(b)[0].at,
    );
    expect(arrival).not.toEqual(ids);
  });

  it('answers HTTP 500 on push before or after the prompt', async () => {
    await http.put('/sim/faults', { push500Rate: 1 });
    const before = await push(pushBody());
    expect(before.status).toBe(500);
    expect(before.data).toMatchObject({ errorCode: '500.003.1001' });
    expect(sim.sim.listTransactions()).toHaveLength(0);
    await http.put('/sim/faults', { push500Mode: 'after_prompt' });
    expect((await push(pushBody())).status).toBe(500);
    expect(sim.sim.listTransactions()).toHaveLength(1);
  });

  it('answers 429 and 500 on query on request', async () => {
    const res = await push(pushBody());
    await http.put('/sim/faults', { query429Rate: 1 });
    const limited = await query(res.data.CheckoutRequestID);
    expect(limited.status).toBe(429);
    expect(limited.data).toMatchObject({ errorCode: '500.003.02' });
    await http.put('/sim/faults', { query429Rate: 0, query500Rate: 1 });
    expect((await query(res.data.CheckoutRequestID)).status).toBe(500);
  });

  it('adds latency', async () => {
    await http.put('/sim/faults', { latencyMs: 150 });
    const started = Date.now();
    await token();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('registers a paybill account', async () => {
    const passkey = 'a'.repeat(64);
    expect(
      (await http.post('/sim/accounts', { shortcode: '888880', kind: 'paybill', passkey })).status,
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
      (await http.get('/sim/accounts')).data.map((a: { shortcode: string }) => a.shortcode),
    ).toContain('888880');
  });

  it('validates admin input', async () => {
    expect((await http.put('/sim/faults', { callbackDropRate: 2 })).status).toBe(400);
    expect((await http.put('/sim/scenarios/0712345678', { scenario: 'cancelled' })).status).toBe(
      400,
    );
    expect((await http.put('/sim/scenarios/254712345678', { scenario: 'nope' })).status).toBe(400);
  });

  it('reset forgets requests, overrides and faults', async () => {
    await http.put('/sim/faults', { latencyMs: 10 });
    await push(pushBody());
    await http.post('/sim/reset');
    const state = (await http.get('/sim/state')).data;
    expect(state.faults.latencyMs).toBe(0);
    expect(state.counts).toEqual({ requests: 0, callbacks: 0, transactions: 0 });
  });
});
