import type { Db } from '@malipo/db';
import type { AxiosInstance, AxiosResponse } from 'axios';
import { createAcceptedPayment, stkCallbackBody } from '../../factories/payments';
import { createTenantWithKeys } from '../../factories/tenancy';
import { client } from '../../support/http';
import { bootApi, payingPhone } from '../../support/nest-apps';
import { scrapeApiMetrics } from '../../support/metrics';
import { startStack, type Stack } from '../../support/stack';

const PER_KEY = 6;
const PUSHES = 2;
const AUTH_FAILURES = 3;

/** Two api replicas over one Redis, with small limits. */
describe('rate limits (two api replicas)', () => {
  let stack: Stack;
  let a: Stack['api'];
  let b: Stack['api'];
  let db: Db;

  const list = (http: AxiosInstance) => http.get('/v1/payments');
  const push = (http: AxiosInstance) =>
    http.post(
      '/v1/payments',
      {
        orderRef: `RL-${Math.random().toString(36).slice(2, 10)}`,
        amount: 10,
        phone: payingPhone(),
      },
      { headers: { 'idempotency-key': `k-${Math.random()}` } },
    );
  const statuses = (answers: AxiosResponse[]) => answers.map((r) => r.status);
  const inSeries = async (n: number, send: (i: number) => Promise<AxiosResponse>) => {
    const answers: AxiosResponse[] = [];
    for (let i = 0; i < n; i++) answers.push(await send(i));
    return answers;
  };

  beforeAll(async () => {
    stack = await startStack({
      sim: { callbackDelayMs: 200 },
      worker: false,
      env: {
        RATE_LIMIT_PER_MINUTE: String(PER_KEY),
        RATE_LIMIT_PAYMENTS_PER_MINUTE: String(PUSHES),
        RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: String(AUTH_FAILURES),
      },
    });
    ({ api: a, db } = stack);
    b = await bootApi(stack.env); // the second replica
  });

  afterAll(async () => {
    await b?.app.close();
    await stack?.close();
  });

  it('refuses the request after the limit with 429, the error body and Retry-After; another key of the shop still passes', async () => {
    const shop = await createTenantWithKeys(db);
    const till = client(a.url, shop.terminalKey);
    const allowed = await inSeries(PER_KEY, () => list(till));
    expect(statuses(allowed)).toEqual(Array(PER_KEY).fill(200));
    expect(allowed[0].headers['x-ratelimit-limit']).toBe(String(PER_KEY));

    const refused = await list(till);
    expect(refused.status).toBe(429);
    expect(refused.data).toEqual({
      code: 'HTTP.RATE_LIMITED',
      message: expect.stringContaining('this API key'),
      requestId: expect.any(String),
    });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    expect((await list(client(a.url, shop.ownerKey))).status).toBe(200);
    const otherShop = await createTenantWithKeys(db);
    expect((await list(client(a.url, otherShop.terminalKey))).status).toBe(200);
  });

  it('shares one count between the replicas', async () => {
    const shop = await createTenantWithKeys(db);
    const [onA, onB] = [client(a.url, shop.ownerKey), client(b.url, shop.ownerKey)];
    const allowed = await inSeries(PER_KEY, (i) => list(i % 2 ? onB : onA));
    expect(statuses(allowed)).toEqual(Array(PER_KEY).fill(200));
    expect((await list(onA)).status).toBe(429);
    expect((await list(onB)).status).toBe(429);
  });

  it('limits STK pushes per key more tightly than other requests', async () => {
    const shop = await createTenantWithKeys(db);
    const till = client(a.url, shop.terminalKey);
    expect(statuses(await inSeries(PUSHES, () => push(till)))).toEqual(Array(PUSHES).fill(201));
    const refused = await push(till);
    expect(refused.status).toBe(429);
    expect(refused.data.code).toBe('HTTP.RATE_LIMITED');
    expect(refused.data.message).toContain('payment requests');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // The same key may still read, and the shop's other key may still take payments.
    expect((await list(till)).status).toBe(200);
    expect((await push(client(b.url, shop.ownerKey))).status).toBe(201);
  });

  it('never limits Daraja callbacks, health or the docs', async () => {
    const shop = await createTenantWithKeys(db);
    const paid = await createAcceptedPayment(a.app, shop);
    const anon = client(a.url);
    const many = PER_KEY * 4;
    const callbacks = await Promise.all(
      Array.from({ length: many }, () => anon.post(paid.callbackPath, stkCallbackBody(paid))),
    );
    for (const res of callbacks) {
      expect([res.status, res.data]).toEqual([200, { ResultCode: 0, ResultDesc: 'Accepted' }]);
    }
    for (const path of ['/health/live', '/health/ready', '/docs/json']) {
      const answers = await inSeries(PER_KEY + 2, () => anon.get(path));
      expect([path, statuses(answers)]).toEqual([path, Array(PER_KEY + 2).fill(200)]);
    }
  });

  it('counts failed authentications per client address, on every replica, never on callbacks', async () => {
    const shop = await createTenantWithKeys(db);
    const paid = await createAcceptedPayment(a.app, shop);
    const forged = paid.callbackPath.slice(0, -4) + '0000';
    const bogus = await inSeries(AUTH_FAILURES * 3, () => client(a.url).post(forged, {}));
    expect(statuses(bogus)).toEqual(Array(AUTH_FAILURES * 3).fill(404));
    const guesses = await inSeries(AUTH_FAILURES, (i) =>
      list(client(i % 2 ? b.url : a.url, `mlp_owner_guess${i}`)),
    );
    expect(statuses(guesses)).toEqual(Array(AUTH_FAILURES).fill(401));
    for (const url of [a.url, b.url]) {
      const refused = await list(client(url, 'mlp_owner_guess-again'));
      expect([refused.status, refused.data.code]).toEqual([429, 'HTTP.RATE_LIMITED']);
      expect(refused.data.message).toContain('failed authentications');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect((await list(client(url))).status).toBe(429); // no key at all is a failure too
    }
    // A real key still works, and Daraja is still heard.
    expect((await list(client(a.url, shop.ownerKey))).status).toBe(200);
    const heard = await client(a.url).post(paid.callbackPath, stkCallbackBody(paid));
    expect(heard.status).toBe(200);
  });

  it('counts refusals in the metrics', async () => {
    const scrape = await scrapeApiMetrics(b.app);
    expect(scrape).toMatch(/malipo_rate_limited_total\{limit="default"\} [1-9]/);
    expect(scrape).toMatch(/malipo_rate_limited_total\{limit="payments"\} [1-9]/);
    expect(scrape).toMatch(/malipo_rate_limited_total\{limit="auth-failures"\} [1-9]/);
  });
});
