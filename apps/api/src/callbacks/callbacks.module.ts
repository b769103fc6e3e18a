import { Module } from '@nestjs/common';
import { CallbacksCoreModule } from '@malipo/payments';
import { StkCallbackController } from './stk-callback.controller';
import { OpsCallbacksController } from '../ops/ops-callbacks.controller';

@Module({
  imports: [CallbacksCoreModule],
  controllers: [StkCallbackController, OpsCallbacksController],
})
export class CallbacksModule {}
