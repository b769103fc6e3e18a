import { randomUUID } from 'node:crypto';
import { asTenantId } from '@malipo/common';
import { CallbackToken } from '@malipo/payments';
import { Queue } from 'bullmq';
import { stkCallbackBody } from '../factories/payments';
import type { TenantWithKeys } from '../factories/tenancy';
import { client, eventually } from '../support/http';
import { sampleOf, scrape } from '../support/metrics';
import { payingPhone, scenarioPhone } from '../support/nest-apps';
import { startOtlpCollector, type CollectedSpan } from '../support/otlp-collector';
import { freePort, waitFor } from '../support/processes';
import { startCompiledStack, type CompiledStack } from '../support/stack';
import { startReceiver, type Receiver } from './webhooks/receiver';

// The compiled api and worker, as deployed: metrics on the api's METRICS_PORT and the worker's
// health port, traces exported over OTLP to a collector held in this test's memory.
describe('observability: metrics that move and one trace from the api through the worker', () => {
  let stack: CompiledStack;
  let collector: Awaited<ReturnType<typeof startOtlpCollector>>;
  let callbacks: Queue;
  let shop: TenantWithKeys;
  let apiMetricsUrl: string;
  let workerMetricsUrl: string;
  let paidId: string;
  let shopBackend: Receiver;

  beforeAll(async () => {
    collector = await startOtlpCollector();
    const metricsPort = await freePort();
    stack = await startCompiledStack({
      ownDatabase: true, // the backlog gauges count every shop's rows
      sim: { callbackDelayMs: 100 },
      env: {
        METRICS_PORT: String(metricsPort),
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.url,
        OTEL_BSP_SCHEDULE_DELAY: '100',
        RECONCILE_ENABLED: 'false', // a payment left without its callback stays due
        RECONCILE_THRESHOLD_SECONDS: '1',
      },
    });
    apiMetricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    workerMetricsUrl = `${stack.worker!.url}/metrics`;
    const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    callbacks = new Queue('callbacks', {
      prefix: `${process.env.REDIS_PREFIX}:bull`,
      connection: { host: redis.hostname, port: Number(redis.port || 6379) },
    });
    shop = await stack.shop();
    // The shop's backend refuses its webhooks for now: deliveries fail and stay pending.
    shopBackend = await startReceiver([500, 500, 500]);
    const endpoint = await client(stack.api.url, shop.ownerKey).post('/v1/webhooks', {
      url: shopBackend.url,
      eventTypes: ['payment.succeeded'],
    });
    expect(endpoint.status).toBe(201);
  });

  afterAll(async () => {
    await callbacks?.resume().catch(() => undefined);
    await callbacks?.close();
    await stack?.close();
    await collector?.close();
    await shopBackend?.close();
  });

  const till = () => client(stack.api.url, shop.terminalKey);
  const pay = (phone: string) =>
    till().post(
      '/v1/payments',
      { orderRef: `OBS-${randomUUID().slice(0, 8)}`, amount: 10, phone },
      { headers: { 'idempotency-key': randomUUID() } },
    );
  const workerSample = async (name: string, labels?: Record<string, string>) =>
    sampleOf(await scrape(workerMetricsUrl), name, labels) ?? 0;

  it('serves the api metrics on METRICS_PORT only, the worker on its health port', async () => {
    expect((await client(stack.api.url).get('/metrics')).status).toBe(404);
    expect(await scrape(apiMetricsUrl)).toContain('malipo_pg_pool_clients{state="idle"}');
    expect(await scrape(workerMetricsUrl)).toContain('malipo_callback_inbox_backlog');
  });

  it('shows a callback waiting in the inbox and the queue, then applied', async () => {
    await callbacks.pause();
    const created = await pay(payingPhone());
    expect(created.status).toBe(201);
    paidId = created.data.id;
    // Gauges are read at scrape time (a reading is reused for up to a second): poll until the
    // callback is stored and queued, then every figure must show it.
    const waiting = await waitFor(async () => {
      const text = await scrape(workerMetricsUrl);
      const backlog = sampleOf(text, 'malipo_callback_inbox_backlog') ?? 0;
      const queued = sampleOf(text, 'malipo_queue_jobs', { queue: 'callbacks', state: 'waiting' });
      const age = sampleOf(text, 'malipo_queue_oldest_waiting_seconds', { queue: 'callbacks' });
      return backlog >= 1 && (queued ?? 0) >= 1 && (age ?? 0) > 0 && text;
    });
    expect(sampleOf(waiting, 'malipo_callback_inbox_oldest_seconds')).toBeGreaterThan(0);
    expect(
      sampleOf(waiting, 'malipo_queue_oldest_waiting_seconds', { queue: 'callbacks' }),
    ).toBeGreaterThan(0);

    await callbacks.resume();
    const paid = await eventually(
      () => till().get(`/v1/payments/${paidId}`),
      (r) => r.data.status === 'succeeded',
    );
    expect(paid.data.status).toBe('succeeded');
    const applied = await waitFor(async () => {
      const text = await scrape(workerMetricsUrl);
      const timed = sampleOf(text, 'malipo_callback_to_applied_seconds_count') ?? 0;
      return sampleOf(text, 'malipo_callback_inbox_backlog') === 0 && timed >= 1 && text;
    });
    expect(sampleOf(applied, 'malipo_payments_final_total', { status: 'succeeded' })).toBe(1);
    expect(sampleOf(applied, 'malipo_payment_outcome_seconds_count')).toBe(1);
    expect(sampleOf(applied, 'malipo_callback_to_applied_seconds_count')).toBe(1);

    // Its webhook was refused by the shop's backend: a failed attempt, a delivery still pending
    // (the next try is seconds away).
    const refused = await waitFor(async () => {
      const text = await scrape(workerMetricsUrl);
      const failed = sampleOf(text, 'malipo_webhook_attempts_total', { result: 'failure' }) ?? 0;
      return failed >= 1 && (sampleOf(text, 'malipo_webhook_deliveries_pending') ?? 0) >= 1 && text;
    });
    expect(sampleOf(refused, 'malipo_webhook_deliveries_pending')).toBe(1);
  });

  it('counts requests by route, Daraja calls by API and code, pushes and payments (api)', async () => {
    const api = await scrape(apiMetricsUrl);
    const route = { method: 'POST', route: '/v1/payments', status: '201' };
    expect(sampleOf(api, 'malipo_http_requests_total', route)).toBeGreaterThanOrEqual(1);
    expect(sampleOf(api, 'malipo_http_request_duration_seconds_count', route)).toBeGreaterThan(0);
    expect(sampleOf(api, 'malipo_daraja_calls_total', { api: 'stk_push', code: '0' })).toBe(1);
    expect(sampleOf(api, 'malipo_daraja_call_seconds_count', { api: 'oauth' })).toBe(1);
    expect(sampleOf(api, 'malipo_daraja_token_refreshes_total')).toBe(1);
    expect(sampleOf(api, 'malipo_daraja_last_success_timestamp_seconds')).toBeGreaterThan(0);
    expect(sampleOf(api, 'malipo_stk_pushes_total', { outcome: 'accepted' })).toBe(1);
    expect(sampleOf(api, 'malipo_payments_created_total', { channel: shop.channelId })).toBe(1);
    const health = await client(stack.api.url, shop.opsKey).get('/v1/ops/health');
    expect(health.data.daraja).toEqual({
      lastAnswerAt: expect.any(String),
      consecutiveFailures: 0,
    });
    const sim = await scrape(`${stack.sim.url}/metrics`);
    expect(
      sampleOf(sim, 'malipo_http_requests_total', { route: '/mpesa/stkpush/v1/processrequest' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('shows the reconciler backlog and counts discrepancies by kind', async () => {
    // …9999: the customer pays but no callback comes; with the reconciler off it stays due.
    expect((await pay(scenarioPhone('9999'))).status).toBe(201);
    await waitFor(async () => (await workerSample('malipo_reconcile_due_attempts')) >= 1, 10_000);
    expect(await workerSample('malipo_reconcile_oldest_due_seconds')).toBeGreaterThanOrEqual(0);

    // A callback naming an attempt we never made: stored, then flagged as an orphan.
    const token = new CallbackToken(process.env.CALLBACK_SECRET!);
    const path = `/v1/hooks/stk/${token.issue({ tenantId: asTenantId(shop.tenantId), attemptId: randomUUID() })}`;
    const body = stkCallbackBody({
      checkoutRequestId: `ws_CO_${randomUUID().slice(0, 12)}`,
      merchantRequestId: randomUUID().slice(0, 12),
      amount: 10,
      phone: '254700000000',
    });
    expect((await client(stack.api.url).post(path, body)).status).toBe(200);
    await waitFor(
      async () =>
        (await workerSample('malipo_discrepancies_total', { kind: 'orphan_callback' })) === 1,
    );
  });

  it('follows the callback in one trace: api request, queue, worker state change, socket push', async () => {
    const sqlOf = (s: CollectedSpan) =>
      String(s.attributes['db.statement'] ?? s.attributes['db.query.text'] ?? '');
    const serverSpanOfCallback = (s: CollectedSpan) =>
      s.service === 'malipo-api' &&
      s.kind === 2 &&
      s.attributes['http.route'] === '/v1/hooks/stk/:token';
    const trace = await waitFor(async () => {
      for (const root of collector.spans.filter(serverSpanOfCallback)) {
        const spans = collector.spans.filter((s) => s.traceId === root.traceId);
        const worker = spans.filter((s) => s.service === 'malipo-worker');
        const updatesPayment = worker.some((s) => /\bupdate "?payments"? set\b/i.test(sqlOf(s)));
        const publishes = worker.some((s) => s.name === 'publish'); // the socket push, via Redis
        if (updatesPayment && publishes) return { root, spans };
      }
      return undefined;
    }, 15_000);
    expect(trace.root.name).toBe('POST /v1/hooks/stk/:token');
    expect(trace.root.attributes['url.path']).toBe('/v1/hooks/stk/[token]');
    expect(trace.spans.some((s) => s.service === 'malipo-api' && s.kind === 4)).toBe(true);
    expect(trace.spans.some((s) => s.service === 'malipo-worker' && s.kind === 5)).toBe(true);
    // No span carries a callback token.
    const secretish = collector.spans.filter((s) =>
      JSON.stringify(s.attributes).match(/hooks\/stk\/(?!\[token\]|:token)/),
    );
    expect(secretish).toEqual([]);
  });

  it('names the trace beside the request id in an error body', async () => {
    const missing = await till().get(`/v1/payments/${randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(missing.data.requestId).toEqual(expect.any(String));
    expect(missing.data.traceId).toMatch(/^[0-9a-f]{32}$/);
  });
});
