import {
  context,
  propagation,
  trace,
  type Context,
  type Span as OtelSpan,
  type SpanKind as OtelSpanKind,
} from '@opentelemetry/api';
import { tracingEnabled } from '@malipo/common';
import type {
  Attributes,
  ContextManager,
  Exception,
  Span,
  SpanOptions,
  Telemetry,
  Time,
  Tracer,
} from 'bullmq';

const TRACER = 'malipo-bullmq';

class QueueSpan implements Span<Context> {
  constructor(private readonly span: OtelSpan) {}

  setSpanOnContext(ctx: Context): Context {
    return trace.setSpan(ctx, this.span);
  }

  setAttribute(key: string, value: Attributes[string]): void {
    if (value !== undefined) this.span.setAttribute(key, value);
  }

  setAttributes(attributes: Attributes): void {
    this.span.setAttributes(attributes);
  }

  addEvent(name: string, attributes?: Attributes): void {
    this.span.addEvent(name, attributes);
  }

  recordException(exception: Exception, time?: Time): void {
    this.span.recordException(exception, time);
  }

  end(): void {
    this.span.end();
  }
}

const tracer: Tracer<Context> = {
  startSpan(name: string, options?: SpanOptions, ctx?: Context): Span<Context> {
    // BullMQ's SpanKind numbers are OpenTelemetry's (INTERNAL 0 … CONSUMER 4).
    const kind = options?.kind as unknown as OtelSpanKind | undefined;
    return new QueueSpan(trace.getTracer(TRACER).startSpan(name, { kind }, ctx));
  },
};

/**
 * The trace context travels inside the job (BullMQ stores it with the job as W3C
 * `traceparent`/`tracestate`), so a callback's trace runs from the api's request through the
 * queue into the worker's processing: its queries, its state change and its socket push.
 */
const contextManager: ContextManager<Context> = {
  with: (ctx, fn) => context.with(ctx, fn),
  active: () => context.active(),
  getMetadata(ctx: Context): string {
    const carrier: Record<string, string> = {};
    propagation.inject(ctx, carrier);
    return JSON.stringify(carrier);
  },
  fromMetadata(active: Context, metadata: string): Context {
    try {
      return propagation.extract(active, JSON.parse(metadata) as Record<string, string>);
    } catch {
      return active; // a job from an older release, or not ours: no parent
    }
  },
};

/** BullMQ's telemetry hook over OpenTelemetry, only when tracing runs (else it costs nothing). */
export function queueTelemetry(): Telemetry<Context> | undefined {
  return tracingEnabled() ? { tracer, contextManager } : undefined;
}
