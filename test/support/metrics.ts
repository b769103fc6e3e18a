import type { INestApplication } from '@nestjs/common';
import { ApiMetricsServer } from '../../apps/api/src/metrics/api-metrics.server';

/** The text an in-process api serves on its metrics port (METRICS_PORT, 0 in tests). */
export async function scrapeApiMetrics(app: INestApplication): Promise<string> {
  const port = app.get(ApiMetricsServer).port;
  if (!port) throw new Error('the api metrics server is not listening');
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  if (res.status !== 200) throw new Error(`metrics answered ${res.status}`);
  return res.text();
}

/** Prometheus text: GET a /metrics URL. */
export async function scrape(url: string): Promise<string> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return res.text();
}

/**
 * The sum of the samples of `name` whose labels include `labels` (undefined when there is
 * none), e.g. sampleOf(text, 'malipo_http_requests_total', { route: '/v1/payments' }).
 */
export function sampleOf(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  let sum: number | undefined;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(\{.*\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.entries(labels).every(([k, v]) => match[2]?.includes(`${k}="${v}"`));
    if (found) sum = (sum ?? 0) + Number(match[3]);
  }
  return sum;
}
