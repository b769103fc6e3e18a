import { Module } from '@nestjs/common';
import { PaymentsCoreModule } from '@malipo/payments';
import { QueueModule } from '@malipo/queue';
import { InboxSweeper } from './inbox-sweeper';
import { StkCallbackProcessor } from './stk-callback.processor';

@Module({
  imports: [PaymentsCoreModule, QueueModule],
  providers: [StkCallbackProcessor, InboxSweeper],
})
export class CallbacksWorkerModule {}
