import { loadConfig } from '../config/validate-config';
import { startTracing, type Tracing } from './tracing';

/**
 * Starts tracing for an app when OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set. Called by each app's
 * `tracing.ts` before anything else is loaded. A configuration error is left for the app's own
 * boot to report in its one clear line.
 */
export function startTracingFromConfig(app: string): Tracing | undefined {
  let config;
  try {
    config = loadConfig();
  } catch {
    return undefined;
  }
  if (!config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return undefined;
  return startTracing({
    serviceName: config.OTEL_SERVICE_NAME ?? `malipo-${app}`,
    endpoint: config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
    sampleRatio: config.OTEL_TRACES_SAMPLE_RATIO,
  });
}
