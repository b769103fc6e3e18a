import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { metrics } from '@malipo/common';
import type { CallbackResult } from '@malipo/payments';
import type { Job } from 'bullmq';
import { StkCallbackProcessor } from '../callbacks/stk-callback.processor';

/**
 * `malipo_callback_to_applied_seconds`: from the callback's job being queued (right after its
 * inbox row was stored, before Safaricom got its 200) to the payment change committed. Read off
 * the BullMQ worker's `completed` event, so the processor's hot path carries nothing extra.
 */
@Injectable()
export class CallbackTimingMetrics implements OnApplicationBootstrap {
  constructor(private readonly moduleRef: ModuleRef) {}

  onApplicationBootstrap(): void {
    const processor = this.moduleRef.get(StkCallbackProcessor, { strict: false });
    processor.worker.on('completed', (job: Job, result: CallbackResult) => {
      if (result !== 'processed') return;
      const end = job.finishedOn ?? Date.now();
      metrics.callbackToApplied.observe(Math.max(0, end - job.timestamp) / 1000);
    });
  }
}
