import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { asTenantId } from '@malipo/common';
import {
  CallbackInboxRepository,
  ProcessCallbackService,
  type CallbackResult,
} from '@malipo/payments';
import { QUEUES, type CallbackJob } from '@malipo/queue';
import type { Job } from 'bullmq';

/**
 * Applies stored callbacks. Throwing lets BullMQ retry with backoff; after the last try the inbox
 * row is marked dead for operators to inspect and replay.
 */
@Processor(QUEUES.callbacks) // worker options: see WorkerRegistration
export class StkCallbackProcessor extends WorkerHost {
  private readonly logger = new Logger(StkCallbackProcessor.name);

  constructor(
    private readonly callbacks: ProcessCallbackService,
    private readonly inbox: CallbackInboxRepository,
  ) {
    super();
  }

  process(job: Job<CallbackJob>): Promise<CallbackResult> {
    return this.callbacks.process(asTenantId(job.data.tenantId), job.data.inboxId);
  }

  @OnWorkerEvent('failed')
  async onFailed(job: Job<CallbackJob> | undefined, error: Error): Promise<void> {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    this.logger.warn(
      { inboxId: job.data.inboxId, attempt: job.attemptsMade, final, err: error.message },
      'callback job failed',
    );
    if (!final) return;
    await this.inbox
      .mark(
        this.inbox.db,
        asTenantId(job.data.tenantId),
        job.data.inboxId,
        'dead',
        error.message.slice(0, 500),
      )
      .catch((e: unknown) => this.logger.error({ err: e }, 'could not dead-letter callback'));
  }
}
