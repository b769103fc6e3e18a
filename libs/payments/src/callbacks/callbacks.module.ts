import { Module } from '@nestjs/common';
import { QueueModule } from '@malipo/queue';
import { PaymentsCoreModule } from '../payments.module';
import { CallbackQueue } from './callback-queue';
import { CallbackReceiverService } from './callback-receiver.service';
import { CallbackReplayService } from './callback-replay.service';

const providers = [CallbackQueue, CallbackReceiverService, CallbackReplayService];

/**
 * Receiving, queuing and replaying callbacks (api and worker). Processing them
 * (ProcessCallbackService) sits in ReconcileCoreModule: a confirmation shares the reconciler's
 * STK Query client and budget.
 */
@Module({
  imports: [PaymentsCoreModule, QueueModule],
  providers,
  exports: providers,
})
export class CallbacksCoreModule {}
