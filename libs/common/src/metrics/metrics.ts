import { Counter, Gauge, Histogram, collectDefaultMetrics, register } from 'prom-client';

let defaultsStarted = false;

/** Process metrics once per process (a second registration would throw). */
export function startDefaultMetrics(): void {
  if (defaultsStarted) return;
  defaultsStarted = true;
  collectDefaultMetrics({ prefix: 'malipo_' });
}

export function counter(name: string, help: string, labelNames: string[] = []): Counter<string> {
  return (
    (register.getSingleMetric(name) as Counter<string>) ?? new Counter({ name, help, labelNames })
  );
}

export function histogram(
  name: string,
  help: string,
  buckets: number[],
  labelNames: string[] = [],
): Histogram<string> {
  return (
    (register.getSingleMetric(name) as Histogram<string>) ??
    new Histogram({ name, help, buckets, labelNames })
  );
}

export function gauge(name: string, help: string, labelNames: string[] = []): Gauge<string> {
  return (register.getSingleMetric(name) as Gauge<string>) ?? new Gauge({ name, help, labelNames });
}

/** The service's own metrics; names are part of the operator contract. */
export const metrics = {
  callbacksReceived: counter('malipo_callbacks_received_total', 'STK callbacks stored', ['result']),
  callbacksRejected: counter(
    'malipo_callbacks_rejected_total',
    'STK callbacks refused before storing',
    ['reason'],
  ),
  callbacksProcessed: counter(
    'malipo_callbacks_processed_total',
    'STK callbacks applied by the worker',
    ['result'],
  ),
  callbackIpMismatch: counter(
    'malipo_callback_ip_mismatch_total',
    'Callbacks from outside the allowlist',
  ),
  enqueueFailures: counter(
    'malipo_queue_enqueue_failures_total',
    'Jobs not enqueued (left to the sweeper)',
    ['queue'],
  ),
  stkPushes: counter('malipo_stk_pushes_total', 'STK pushes by outcome', ['outcome']),
  callbackToApplied: histogram(
    'malipo_callback_to_applied_seconds',
    'From callback received to payment updated',
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  ),
  realtimeConnections: gauge('malipo_realtime_connections', 'Open /terminals sockets', ['role']),
  realtimeRefused: counter(
    'malipo_realtime_refused_total',
    'Socket handshakes refused or sockets closed by the gateway',
    ['reason'],
  ),
  realtimeDelivered: counter(
    'malipo_realtime_events_delivered_total',
    'payment.updated messages sent to sockets',
    ['mode'],
  ),
  realtimeResyncs: counter(
    'malipo_realtime_resync_required_total',
    'Resumes answered with resync_required',
    ['reason'],
  ),
  realtimePublishFailures: counter(
    'malipo_realtime_publish_failures_total',
    'Committed payment events not published to Redis',
  ),
  webhookDeliveriesCreated: counter(
    'malipo_webhook_deliveries_created_total',
    'Webhook deliveries produced from committed events',
  ),
  webhookAttempts: counter('malipo_webhook_attempts_total', 'Webhook HTTP attempts', ['result']),
  webhookLatency: histogram(
    'malipo_webhook_attempt_seconds',
    'Webhook attempt latency',
    [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  ),
  webhookEndpointsDisabled: counter(
    'malipo_webhook_endpoints_disabled_total',
    'Webhook endpoints disabled after failing for the whole window',
  ),
  rateLimited: counter(
    'malipo_rate_limited_total',
    'API requests refused with 429, by limit (default, payments)',
    ['limit'],
  ),
  rateLimitFailOpen: counter(
    'malipo_rate_limit_fail_open_total',
    'API requests let through unchecked because the rate-limit store (Redis) did not answer',
  ),
  reconcileAttempts: counter(
    'malipo_reconcile_attempts_total',
    'Attempts the reconciler handled, by result (resolved, transient, budget, expired, ...)',
    ['result'],
  ),
  reconcileExpired: counter(
    'malipo_reconcile_expired_total',
    'Payments expired by the reconciler at their deadline',
  ),
};

export { register as metricsRegistry };
