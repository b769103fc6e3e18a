// First import of main.ts: OpenTelemetry must patch http, pg and ioredis before they load.
import { startTracingFromConfig } from '@malipo/common/tracing/start-from-config';

startTracingFromConfig('worker');
