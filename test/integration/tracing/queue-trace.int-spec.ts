import { Writable } from 'node:stream';
import { context, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { Queue, Worker, type Job } from 'bullmq';
import pino from 'pino';
import {
  NotFoundError,
  errorAnswer,
  loggerOptions,
  startTracing,
  type Tracing,
} from '@malipo/common';
import { queueTelemetry } from '@malipo/queue';
import { waitFor } from '../../support/processes';

const connection = { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null };
const prefix = `${process.env.REDIS_PREFIX ?? 'malipo_test'}:bull`;

function capturedLogger(): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  const logger = pino(loggerOptions({ level: 'info', pretty: false, name: 'test' }), sink);
  const lines = () =>
    text
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, lines };
}

describe('tracing (in-memory exporter)', () => {
  it('costs nothing when off: no trace id in logs or error bodies, no BullMQ telemetry', () => {
    const { logger, lines } = capturedLogger();
    logger.info('untraced');
    expect(lines()[0]).not.toHaveProperty('traceId');
    expect(errorAnswer(new NotFoundError('gone'), 'req-1').body).not.toHaveProperty('traceId');
    expect(queueTelemetry()).toBeUndefined();
  });

  describe('when on', () => {
    let tracing: Tracing;
    const exporter = new InMemorySpanExporter();
    let queue: Queue;
    let worker: Worker;

    beforeAll(() => {
      tracing = startTracing({ serviceName: 'malipo-test', exporter })!;
    });

    afterAll(async () => {
      await worker?.close();
      await queue?.obliterate({ force: true });
      await queue?.close();
      await tracing?.shutdown();
    });

    it('carries a request trace through a BullMQ job into its processing and its log lines', async () => {
      const { logger, lines } = capturedLogger();
      const telemetry = queueTelemetry();
      expect(telemetry).toBeDefined();
      const name = `trace-${Date.now()}`;
      queue = new Queue(name, { connection, prefix, telemetry });
      const processed: string[] = [];
      worker = new Worker(
        name,
        async (job: Job) => {
          logger.info({ jobId: job.id }, 'processing');
          processed.push(trace.getActiveSpan()?.spanContext().traceId ?? 'none');
        },
        { connection, prefix, telemetry },
      );
      const request = trace.getTracer('test').startSpan('POST /v1/hooks/stk/:token');
      const requestTrace = request.spanContext().traceId;
      await context.with(trace.setSpan(context.active(), request), async () => {
        logger.info('stored');
        expect(errorAnswer(new NotFoundError('gone'), 'req-2').body).toMatchObject({
          requestId: 'req-2',
          traceId: requestTrace,
        });
        await queue.add('apply', { inboxId: 'i-1' });
      });
      request.end();

      await waitFor(async () => processed.length === 1);
      expect(processed).toEqual([requestTrace]);
      expect(lines().map((l) => [l.msg, l.traceId])).toEqual([
        ['stored', requestTrace],
        ['processing', requestTrace],
      ]);
      await waitFor(async () =>
        exporter.getFinishedSpans().some((s) => s.name.startsWith('process')),
      );
      const spans = exporter
        .getFinishedSpans()
        .filter((s) => s.spanContext().traceId === requestTrace);
      const kinds = spans.map((s) => s.kind);
      expect(kinds).toEqual(expect.arrayContaining([3, 4])); // producer, consumer
    });
  });
});
