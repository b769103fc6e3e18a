import { Module } from '@nestjs/common';
import { PaymentsCoreModule } from '@malipo/payments';
import { QueueModule } from '@malipo/queue';
import { CallbackReceiverService } from './callback-receiver.service';
import { StkCallbackController } from './stk-callback.controller';
import { OpsCallbacksController } from '../ops/ops-callbacks.controller';
import { OpsHealthController } from '../ops/ops-health.controller';

@Module({
  imports: [PaymentsCoreModule, QueueModule],
  controllers: [StkCallbackController, OpsCallbacksController, OpsHealthController],
  providers: [CallbackReceiverService],
})
export class CallbacksModule {}
