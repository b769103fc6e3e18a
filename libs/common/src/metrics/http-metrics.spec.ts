import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { installHttpMetrics } from './http-metrics';

describe('installHttpMetrics', () => {
  it('counts by route template, never by URL, and folds unknown URLs into one series', async () => {
    const registry = new Registry();
    const app = Fastify();
    installHttpMetrics(app, registry);
    app.post('/v1/hooks/stk/:token', async () => ({ ResultCode: 0 }));
    for (const token of ['t1.secret', 't2.secret', 't3.secret']) {
      await app.inject({ method: 'POST', url: `/v1/hooks/stk/${token}`, payload: {} });
    }
    await app.inject({ method: 'GET', url: '/no/such/path/0712345678' });
    const text = await registry.metrics();
    await app.close();

    expect(text).toContain(
      'malipo_http_requests_total{method="POST",route="/v1/hooks/stk/:token",status="200"} 3',
    );
    expect(text).toContain(
      'malipo_http_requests_total{method="GET",route="unmatched",status="404"} 1',
    );
    expect(text).toMatch(
      /malipo_http_request_duration_seconds_count\{method="POST",route="\/v1\/hooks\/stk\/:token",status="200"\} 3/,
    );
    expect(text).not.toContain('secret');
    expect(text).not.toContain('0712345678');
  });
});
