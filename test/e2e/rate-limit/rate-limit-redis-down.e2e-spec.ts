import { client } from '../../support/http';
import { freePort, startRedis, waitFor, type RunningProcess } from '../../support/processes';
import { scrapeApiMetrics } from '../../support/metrics';
import { startStack, type Stack } from '../../support/stack';

const PER_KEY = 3;

describe('rate limits while Redis is down', () => {
  let redis: RunningProcess;
  let port: number;
  let stack: Stack;
  let api: Stack['api'];

  beforeAll(async () => {
    port = await freePort();
    redis = startRedis(port);
    await waitFor(async () => redis.output().includes('Ready to accept connections'));
    stack = await startStack({
      worker: false,
      env: { REDIS_URL: `redis://127.0.0.1:${port}`, RATE_LIMIT_PER_MINUTE: String(PER_KEY) },
    });
    api = stack.api;
  });

  afterAll(async () => {
    // The socket.io Redis adapter rejects unhandled if the api closes while Redis is away.
    const { exitCode, signalCode } = redis.child;
    if (exitCode !== null || signalCode !== null) redis = startRedis(port);
    await waitFor(async () => redis.output().includes('Ready to accept connections'));
    await stack?.close();
    await redis?.stop();
  });

  it('fails open: requests over the limit pass and are counted as unchecked', async () => {
    const shop = await stack.shop();
    const owner = client(api.url, shop.ownerKey);
    await redis.stop();

    for (let i = 0; i < PER_KEY * 3; i++) {
      expect((await owner.get('/v1/payments')).status).toBe(200);
    }
    expect(await scrapeApiMetrics(api.app)).toMatch(/malipo_rate_limit_fail_open_total [1-9]/);
  });
});
