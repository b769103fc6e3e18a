import { BullRegistrar, Processor } from '@nestjs/bullmq';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '@malipo/common';
import { QUEUES } from '@malipo/queue';
import { webhookBackoffStrategy } from '@malipo/webhooks';
import { StkCallbackProcessor } from './callbacks/stk-callback.processor';
import { jobLockOptions } from './job-lock';
import { ReconcileRunProcessor } from './reconciler/reconcile-run.processor';
import { DarajaInboxProcessor } from './results/daraja-inbox.processor';
import { WebhookDeliveryProcessor } from './webhooks/webhook-delivery.processor';

/**
 * Starts the BullMQ workers once the configuration is injected. `@Processor` options are read
 * when the worker is created, so they are set here from AppConfig instead of from the environment
 * at import time; the queue module registers workers manually for this reason.
 */
@Injectable()
export class WorkerRegistration implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly registrar: BullRegistrar,
  ) {}

  onModuleInit(): void {
    const lock = jobLockOptions(this.config);
    Processor(QUEUES.callbacks, { concurrency: 8, ...lock })(StkCallbackProcessor);
    Processor(QUEUES.reconcile, { concurrency: 1, ...lock })(ReconcileRunProcessor);
    Processor(QUEUES.darajaInbox, { concurrency: 4, ...lock })(DarajaInboxProcessor);
    Processor(QUEUES.webhooks, {
      concurrency: this.config.WEBHOOK_CONCURRENCY,
      ...lock,
      settings: { backoffStrategy: webhookBackoffStrategy },
    })(WebhookDeliveryProcessor);
    this.registrar.register();
  }
}
