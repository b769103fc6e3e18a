import { trace } from '@opentelemetry/api';

/** The active trace's id, if this request or job is being traced. */
export function activeTraceId(): string | undefined {
  const span = trace.getActiveSpan();
  // An unsampled span still carries its trace's id: a log line can be matched to its request.
  return span?.spanContext().traceId;
}

/** Untraced lines (every line while tracing is off) allocate nothing. */
const NO_FIELDS = Object.freeze({});

/** pino `mixin`: `traceId` on every line written inside a traced request or job. */
export function traceLogFields(): object {
  const traceId = activeTraceId();
  return traceId ? { traceId } : NO_FIELDS;
}

/**
 * pino `mixinMergeStrategy`: pino's default copies the line's fields into the mixin's object,
 * which would write into the shared empty one; untraced lines are passed through as they are.
 */
export function mergeTraceFields(mergeObject: object, mixinObject: object): object {
  return mixinObject === NO_FIELDS ? mergeObject : Object.assign(mixinObject, mergeObject);
}
