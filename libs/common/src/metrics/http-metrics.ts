import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, type Registry, register } from 'prom-client';

const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const LABELS = ['method', 'route', 'status'];

interface HttpSeries {
  requests: Counter.Internal;
  duration: Histogram.Internal<string>;
}

function metricOn<T>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/**
 * RED metrics for every request a Fastify app answers, labelled by route template (never the
 * URL: a callback URL carries its token), method and status. The labelled children are cached
 * per (route, method, status), so a request costs three Map lookups and two increments.
 */
export function installHttpMetrics(fastify: FastifyInstance, registry: Registry = register): void {
  const registers = [registry];
  const requests = metricOn(
    registry,
    'malipo_http_requests_total',
    () =>
      new Counter({
        name: 'malipo_http_requests_total',
        help: 'HTTP requests answered, by method, route template and status',
        labelNames: LABELS,
        registers,
      }),
  );
  const duration = metricOn(
    registry,
    'malipo_http_request_duration_seconds',
    () =>
      new Histogram({
        name: 'malipo_http_request_duration_seconds',
        help: 'HTTP request duration, by method, route template and status',
        labelNames: LABELS,
        buckets: DURATION_BUCKETS,
        registers,
      }),
  );
  // route → method → status → series: three Map lookups, no key string built per request.
  const series = new Map<string, Map<string, Map<number, HttpSeries>>>();
  const seriesFor = (method: string, route: string, status: number): HttpSeries => {
    let byMethod = series.get(route);
    if (!byMethod) series.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map()));
    let found = byStatus.get(status);
    if (!found) {
      const labels = { method, route, status: String(status) };
      found = { requests: requests.labels(labels), duration: duration.labels(labels) };
      byStatus.set(status, found);
    }
    return found;
  };
  fastify.addHook('onResponse', (request, reply, done) => {
    // Unmatched URLs (404s, probes) share one series: their paths are unbounded.
    const route = request.routeOptions.url ?? 'unmatched';
    const s = seriesFor(request.method, route, reply.statusCode);
    s.requests.inc();
    s.duration.observe(reply.elapsedTime / 1000);
    done();
  });
}
