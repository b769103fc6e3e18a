/** Shared by the daraja-sim-*.int-spec.ts files: the simulator over real HTTP. */
import axios, { type AxiosInstance } from 'axios';
import { startDarajaSim, type RunningDarajaSim } from '../../../apps/daraja-sim/src/start-sim';
import { SANDBOX_PAYBILL } from '../../../apps/daraja-sim/src/sim-settings';
import { freePort, waitFor } from '../../support/processes';
import { startCallbackReceiver } from './callback-receiver';

let sim: RunningDarajaSim;
let http: AxiosInstance;
let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;

/** The running simulator, an HTTP client on it and a callback receiver, for one spec file. */
export interface SimHarness {
  readonly sim: RunningDarajaSim;
  readonly http: AxiosInstance;
  readonly receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
}

export const basic = (key = 'malipo-sim-key', secret = 'malipo-sim-secret') =>
  `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;

export async function token(key?: string, secret?: string): Promise<string> {
  const res = await http.get('/oauth/v1/generate?grant_type=client_credentials', {
    headers: { Authorization: basic(key, secret) },
  });
  expect(res.status).toBe(200);
  return res.data.access_token;
}

export const TS = '20250101120000';
export const password = (shortcode: string, passkey: string, ts = TS) =>
  Buffer.from(`${shortcode}${passkey}${ts}`).toString('base64');

let seq = 0;
export const phone = (suffix = '4321') => `2547${String(20_000 + ++seq).slice(-4)}${suffix}`;

export function pushBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
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

export async function push(body: unknown, auth?: string, contentType = 'application/json') {
  return http.post('/mpesa/stkpush/v1/processrequest', body, {
    headers: { Authorization: auth ?? `Bearer ${await token()}`, 'Content-Type': contentType },
  });
}

export async function query(
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

export const callbacksFor = (id: string, count = 1) =>
  waitFor(
    async () => {
      const got = receiver.forCheckout(id);
      return got.length >= count ? got : undefined;
    },
    5_000,
    10,
  );

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Registers the file's hooks: one simulator for the file, reset before every test. */
export function useSimHarness(): SimHarness {
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
  return {
    get sim() {
      return sim;
    },
    get http() {
      return http;
    },
    get receiver() {
      return receiver;
    },
  };
}
