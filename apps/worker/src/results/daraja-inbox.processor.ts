import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { asTenantId } from '@malipo/common';
import { DarajaInboxRepository, ProcessDarajaInboxService } from '@malipo/payments';
import { QUEUES, type DarajaInboxJob } from '@malipo/queue';
import type { Job } from 'bullmq';

/** Applies stored results and C2B confirmations; after the last try the row is marked dead. */
@Processor(QUEUES.darajaInbox) // worker options: see WorkerRegistration
export class DarajaInboxProcessor extends WorkerHost {
  private readonly logger = new Logger(DarajaInboxProcessor.name);

  constructor(
    private readonly service: ProcessDarajaInboxService,
    private readonly inbox: DarajaInboxRepository,
  ) {
    super();
  }

  process(job: Job<DarajaInboxJob>): Promise<string> {
    return this.service.process(asTenantId(job.data.tenantId), job.data.inboxId);
  }

  @OnWorkerEvent('failed')
  async onFailed(job: Job<DarajaInboxJob> | undefined, error: Error): Promise<void> {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    this.logger.warn(
      { inboxId: job.data.inboxId, attempt: job.attemptsMade, final, err: error.message },
      'daraja inbox job failed',
    );
    if (!final) return;
    const tenantId = asTenantId(job.data.tenantId);
    await this.inbox
      .mark(this.inbox.db, tenantId, job.data.inboxId, 'dead', error.message.slice(0, 500))
      .catch((e: unknown) => this.logger.error({ err: e }, 'could not dead-letter a result'));
  }
}
