import { SIM_TILL } from '../../../apps/daraja-sim/src/sim-settings';
import {
  basic,
  callbacksFor,
  password,
  phone,
  push,
  pushBody,
  sleep,
  token,
  useSimHarness,
} from './sim-harness';

const h = useSimHarness();

describe('daraja-sim: OAuth', () => {
  it('issues a token with expires_in "3599" as a string by default', async () => {
    const res = await h.http.get('/oauth/v1/generate?grant_type=client_credentials', {
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
    const res = await h.http.get(`/oauth/v1/generate${qs}`, { headers: { Authorization: auth } });
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
    await h.http.put('/sim/settings', { tokenTtlSeconds: 1 });
    const t = await token();
    expect((await push(pushBody(), `Bearer ${t}`)).status).toBe(200);
    await sleep(1_050);
    expect((await push(pushBody(), `Bearer ${t}`)).data.errorCode).toBe('404.001.03');
  });

  it('registers more credential pairs through the admin API', async () => {
    expect(
      (await h.http.post('/sim/credentials', { consumerKey: 'k2', consumerSecret: 's2' })).status,
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
    expect(h.sim.sim.listTransactions()).toHaveLength(0);
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
    await h.http.put('/sim/settings', { longAccountReference: 'reject' });
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
