import Redis from 'ioredis';
import { DarajaClient } from '@malipo/daraja';
import { freePort } from '../../support/processes';

import {
  capturingLogger,
  useClientHarness,
  logLines,
  redis,
  client,
  creds,
  phone,
  input,
  pushes,
  oauthCalls,
  sleep,
} from './client-harness';

const h = useClientHarness();

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
    h.sim.sim.setSettings({ tokenTtlSeconds: 2 });
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
      expect(h.sim.sim.requests({ kind: 'stk_push', status: 404 })).toHaveLength(0);
    } finally {
      h.sim.sim.setSettings({ tokenTtlSeconds: 3599 });
    }
  });

  it('a token Daraja no longer accepts is cleared and the call retried exactly once', async () => {
    const sut = client();
    const c = creds();
    await sut.getToken(c);
    h.sim.sim.expireTokens();
    const p = phone();
    const accepted = await sut.stkPush(c, input(p));
    expect(accepted.checkoutRequestId).toBeTruthy();
    expect(pushes(p).map((r) => [r.status, r.errorCode])).toEqual([
      [404, '404.001.03'],
      [200, undefined],
    ]);
    expect(oauthCalls(c)).toHaveLength(2);
    expect(h.sim.sim.listTransactions({ phone: p })).toHaveLength(1);
  });

  it('gives up after one retry when the token keeps being refused', async () => {
    const sut = client();
    const c = creds();
    const p = phone();
    h.sim.sim.setFaults({ invalidTokenRate: 1 });
    try {
      const error = await sut.stkPush(c, input(p)).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'DARAJA.INVALID_ACCESS_TOKEN', httpStatus: 404 });
      expect(pushes(p)).toHaveLength(2);
    } finally {
      h.sim.sim.setFaults({ invalidTokenRate: 0 });
    }
  });

  it('accepts expires_in as a number too', async () => {
    h.sim.sim.setSettings({ expiresInType: 'number' });
    try {
      const sut = client();
      const c = creds();
      await sut.stkPush(c, input(phone()));
      await sut.stkPush(c, input(phone()));
      expect(oauthCalls(c)).toHaveLength(1);
    } finally {
      h.sim.sim.setSettings({ expiresInType: 'string' });
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
