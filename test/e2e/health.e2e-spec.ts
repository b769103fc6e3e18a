import axios from 'axios';
import {
  freePort,
  startCompiled,
  startRedis,
  waitFor,
  type RunningProcess,
} from '../support/processes';

async function ready(port: number): Promise<{ status: number; data: any }> {
  const res = await axios.get(`http://127.0.0.1:${port}/health/ready`, {
    validateStatus: () => true,
    timeout: 5_000,
  });
  return { status: res.status, data: res.data };
}

describe('health', () => {
  let redis: RunningProcess;
  let api: RunningProcess;
  let redisPort: number;
  let apiPort: number;

  beforeAll(async () => {
    redisPort = await freePort();
    apiPort = await freePort();
    redis = startRedis(redisPort);
    await waitFor(async () => redis.output().includes('Ready to accept connections'));
    api = startCompiled('api', {
      PORT: String(apiPort),
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    });
    await waitFor(async () => (await ready(apiPort)).status === 200, 30_000);
  });

  afterAll(async () => {
    await api?.stop();
    await redis?.stop();
  });

  it('answers live and ready while PostgreSQL and Redis are up', async () => {
    const live = await axios.get(`http://127.0.0.1:${apiPort}/health/live`);
    expect(live.data).toEqual({ status: 'ok' });
    const res = await ready(apiPort);
    expect(res.data.details).toEqual({
      lifecycle: { status: 'up' },
      postgres: { status: 'up' },
      redis: { status: 'up' },
    });
  });

  it('is 503 naming Redis while Redis is down, and 200 again once it is back, without a restart', async () => {
    await redis.stop();
    const down = await waitFor(async () => {
      const r = await ready(apiPort);
      return r.status === 503 ? r : undefined;
    });
    expect(Object.keys(down.data.error)).toEqual(['redis']);
    expect(down.data.details.postgres.status).toBe('up');

    redis = startRedis(redisPort);
    const back = await waitFor(async () => {
      const r = await ready(apiPort);
      return r.status === 200 ? r : undefined;
    }, 20_000);
    expect(back.data.status).toBe('ok');
  });

  it('answers unknown routes with the error envelope', async () => {
    const res = await axios.get(`http://127.0.0.1:${apiPort}/nope`, { validateStatus: () => true });
    expect(res.status).toBe(404);
    expect(res.data).toEqual({
      code: 'HTTP.NOT_FOUND',
      message: expect.any(String),
      requestId: expect.any(String),
    });
  });

  it('shuts down cleanly on SIGTERM while Redis is down, without stack traces', async () => {
    await redis.stop();
    await waitFor(async () => ((await ready(apiPort)).status === 503 ? true : undefined));
    const before = api.output().length;
    // A clean stop exits 0; a crash during shutdown exits 1.
    expect(await api.stop()).toBe(0);
    const tail = api.output().slice(before);
    expect(tail).not.toMatch(/Unhandled|MaxRetriesPerRequestError|\n\s+at /);
    redis = startRedis(redisPort);
  });
});

describe('a worker stopped during a Redis outage', () => {
  it('does not hang: after SHUTDOWN_TIMEOUT_MS it exits 1 with a one-line reason', async () => {
    const redisPort = await freePort();
    const workerPort = await freePort();
    const redis = startRedis(redisPort);
    await waitFor(async () => redis.output().includes('Ready to accept connections'));
    const worker = startCompiled('worker', {
      WORKER_PORT: String(workerPort),
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      SHUTDOWN_TIMEOUT_MS: '2000',
      RECONCILE_ENABLED: 'false',
    });
    try {
      await waitFor(async () => (await ready(workerPort)).status === 200, 30_000);
      await redis.stop();
      await waitFor(async () => ((await ready(workerPort)).status === 503 ? true : undefined));
      // Queues, workers and the shared client reconnect many times a second: a line per kind
      // per 10 s, never a raw stack trace.
      await new Promise((r) => setTimeout(r, 1_500));
      expect(worker.output()).not.toMatch(/\n\s+at |Unhandled error event/);
      const stopping = Date.now();
      const code = await worker.stop();
      expect(Date.now() - stopping).toBeLessThan(10_000);
      // BullMQ's close waits on Redis for ever; the deadline ends it and says why.
      expect(code).toBe(1);
      expect(worker.output()).toMatch(/worker: still closing 2000 ms after SIGTERM/);
    } finally {
      await worker.stop('SIGKILL');
      await redis.stop();
    }
  });
});

describe('boot failures', () => {
  it.each([
    [{ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' }, /cannot connect/],
    [{ CALLBACK_SECRET: '' }, /invalid configuration: .*CALLBACK_SECRET/],
    [{ DATABASE_URL: 'not-a-url' }, /invalid configuration: DATABASE_URL/],
  ])('exits non-zero with a one-line reason for %j', async (env, reason) => {
    const port = await freePort();
    const api = startCompiled('api', { PORT: String(port), ...env });
    const code = await api.exited;
    expect(code).not.toBe(0);
    const lines = api.output().trim().split('\n');
    expect(lines[lines.length - 1]).toMatch(reason);
    expect(api.output()).not.toMatch(/\n\s+at /);
  });
});
