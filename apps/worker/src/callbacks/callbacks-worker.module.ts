import { Module } from '@nestjs/common';
import { CallbacksCoreModule, ReconcileCoreModule } from '@malipo/payments';
import { QueueModule } from '@malipo/queue';
import { InboxSweeper } from './inbox-sweeper';
import { StkCallbackProcessor } from './stk-callback.processor';

@Module({
  imports: [ReconcileCoreModule, CallbacksCoreModule, QueueModule],
  providers: [StkCallbackProcessor, InboxSweeper],
})
export class CallbacksWorkerModule {}
