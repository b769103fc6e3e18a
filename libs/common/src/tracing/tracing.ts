import type { IncomingMessage } from 'node:http';
import { context, propagation, trace, type Span } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { urlForLog } from '../logging/logger-options';

export interface TracingOptions {
  serviceName: string;
  /** OTLP/HTTP traces URL; spans are batched and sent there. */
  endpoint?: string;
  /** Tests: spans go here one by one (an InMemorySpanExporter), instead of or beside OTLP. */
  exporter?: SpanExporter;
  /** Share of new traces recorded; a trace begun upstream keeps its parent's decision. */
  sampleRatio?: number;
}

export interface Tracing {
  /** Sends what is buffered (an app's stop calls it, so the last spans are not lost). */
  flush(): Promise<void>;
  /** Flushes what is buffered and stops recording (instrumentations are switched off). */
  shutdown(): Promise<void>;
}

let running: Tracing | undefined;

/** True once `startTracing` ran in this process: BullMQ then carries trace context in its jobs. */
export function tracingEnabled(): boolean {
  return running !== undefined;
}

/** Probes and scrapes make no traces: they would drown the payments in noise. */
function ignoredIncoming(req: IncomingMessage): boolean {
  const url = req.url ?? '';
  return url.startsWith('/health') || url.startsWith('/metrics');
}

/** A callback URL carries its token and a till URL may carry a phone: spans get the logged form. */
function redactIncomingUrl(span: Span, req: IncomingMessage): void {
  const [path, query] = urlForLog(req.url ?? '').split('?', 2);
  span.setAttribute('url.path', path);
  if (query !== undefined) span.setAttribute('url.query', query);
}

/**
 * OpenTelemetry for one process: HTTP (in and out), PostgreSQL, Redis, and through
 * `queueTelemetry` the BullMQ hop. Must run before pg, ioredis and the HTTP server are loaded
 * (each app's `tracing.ts`, the first import of its main). Off unless an endpoint or an exporter
 * is given: then nothing is patched and the API's no-op tracer costs nothing per request.
 */
export function startTracing(opts: TracingOptions): Tracing | undefined {
  if (running) return running;
  const processors: SpanProcessor[] = [];
  if (opts.endpoint) {
    processors.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: opts.endpoint })));
  }
  if (opts.exporter) processors.push(new SimpleSpanProcessor(opts.exporter));
  if (!processors.length) return undefined;
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': opts.serviceName }),
    sampler: new ParentBasedSampler({
      root: new TraceIdRatioBasedSampler(opts.sampleRatio ?? 1),
    }),
    spanProcessors: processors,
  });
  provider.register();
  const disable = registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: ignoredIncoming,
        requestHook: (span, req) => {
          if ('headers' in req && !('setHeader' in req)) redactIncomingUrl(span, req);
        },
      }),
      new PgInstrumentation({ requireParentSpan: true }),
      // Command names only: values may be tokens (the Daraja token cache) or phone-lock keys.
      new IORedisInstrumentation({
        requireParentSpan: true,
        dbStatementSerializer: (command) => command,
      }),
    ],
  });
  running = {
    flush: () => provider.forceFlush(),
    shutdown: async () => {
      disable();
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
      running = undefined;
    },
  };
  return running;
}

/** Sends buffered spans, if tracing runs; Nest apps call it when they close. */
export async function flushTracing(): Promise<void> {
  await running?.flush();
}
