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
