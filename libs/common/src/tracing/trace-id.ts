import { trace } from '@opentelemetry/api';

/** The active trace's id, if this request or job is being traced. */
export function activeTraceId(): string | undefined {
  const span = trace.getActiveSpan();
  // An unsampled span still carries its trace's id: a log line can be matched to its request.
  return span?.spanContext().traceId;
}

const NO_FIELDS = Object.freeze({});

/** pino `mixin`: `traceId` on every line written inside a traced request or job. */
export function traceLogFields(): Record<string, string> {
  const traceId = activeTraceId();
  return traceId ? { traceId } : NO_FIELDS;
}
