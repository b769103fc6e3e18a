import { Module } from '@nestjs/common';
import { CallbacksCoreModule, PaymentsCoreModule } from '@malipo/payments';
import { QueueModule } from '@malipo/queue';
import { StkCallbackController } from './stk-callback.controller';
import { OpsCallbacksController } from '../ops/ops-callbacks.controller';
import { OpsHealthController } from '../ops/ops-health.controller';

@Module({
  imports: [CallbacksCoreModule, PaymentsCoreModule, QueueModule],
  controllers: [StkCallbackController, OpsCallbacksController, OpsHealthController],
})
export class CallbacksModule {}
