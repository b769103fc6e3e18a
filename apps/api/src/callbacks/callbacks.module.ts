import { Module } from '@nestjs/common';
import { CallbacksCoreModule, PaymentsCoreModule } from '@malipo/payments';
import { QueueModule } from '@malipo/queue';
import { OpsCallbacksController } from '../ops/ops-callbacks.controller';
import { OpsHealthController } from '../ops/ops-health.controller';

@Module({
  imports: [CallbacksCoreModule, PaymentsCoreModule, QueueModule],
  // The STK callback itself is a Fastify route: see stk-callback.route.ts.
  controllers: [OpsCallbacksController, OpsHealthController],
})
export class CallbacksModule {}
