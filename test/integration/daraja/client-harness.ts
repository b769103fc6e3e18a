/** Shared by the daraja-client-*.int-spec.ts files: the production client against the simulator. */
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import {
  DarajaClient,
  type DarajaCredentials,
  type DarajaLogger,
  type StkPushInput,
} from '@malipo/daraja';
import { startDarajaSim, type RunningDarajaSim } from '../../../apps/daraja-sim/src/start-sim';
import { SANDBOX_PAYBILL, SIM_TILL } from '../../../apps/daraja-sim/src/sim-settings';
import { freePort, waitFor } from '../../support/processes';
import { startCallbackReceiver } from './callback-receiver';

export const CALLBACK_DELAY_MS = 60;
export const LATE_CALLBACK_MS = 500;

let sim: RunningDarajaSim;
let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
const redisConnections: Redis[] = [];
export const logLines: string[] = [];

export const capturingLogger: DarajaLogger = {
  debug: (msg, meta) => logLines.push(`${msg} ${JSON.stringify(meta ?? {})}`),
  warn: (msg, meta) => logLines.push(`${msg} ${JSON.stringify(meta ?? {})}`),
};

export function redis(): Redis {
  const r = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
    keyPrefix: `${process.env.REDIS_PREFIX ?? 'malipo_test'}:`,
  });
  redisConnections.push(r);
  return r;
}

export function client(opts: { timeoutMs?: number } = {}): DarajaClient {
  return new DarajaClient({
    redis: redis(),
    timeoutMs: opts.timeoutMs ?? 3_000,
    retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 30 },
    tokenPollMs: 20,
    logger: capturingLogger,
  });
}

/** Fresh consumer credentials per test, so each test has its own token cache entry. */
export function creds(kind: 'paybill' | 'till' = 'paybill'): DarajaCredentials {
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
export function phone(suffix = '5555'): string {
  phoneSeq += 1;
  return `2547${String(10_000 + phoneSeq).slice(-4)}${suffix}`;
}

export function input(p: string, amount = 10): StkPushInput {
  return {
    amount,
    phone: p,
    callbackUrl: receiver.url(`/v1/hooks/stk/${randomBytes(8).toString('hex')}`),
    accountReference: 'ORDER42',
    transactionDesc: 'Goods',
  };
}

export async function callbackFor(id: string, count = 1) {
  return waitFor(
    async () => {
      const got = receiver.forCheckout(id);
      return got.length >= count ? got : undefined;
    },
    5_000,
    10,
  );
}

export const pushes = (p: string) => sim.sim.requests({ kind: 'stk_push', phone: p });
export const oauthCalls = (c: DarajaCredentials) =>
  sim.sim.requests({ kind: 'oauth' }).filter((r) => r.consumerKey === c.consumerKey);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Registers the file's hooks: one simulator and callback receiver for the file. */
export function useClientHarness(): {
  readonly sim: RunningDarajaSim;
  readonly receiver: typeof receiver;
} {
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
  return {
    get sim() {
      return sim;
    },
    get receiver() {
      return receiver;
    },
  };
}
