import { Module } from '@nestjs/common';
import { ResultsCoreModule } from '@malipo/payments';
import { QueueModule } from '@malipo/queue';
import { DarajaInboxProcessor } from './daraja-inbox.processor';
import { DarajaInboxSweeper } from './daraja-inbox.sweeper';
import { StatementScheduler } from './statement.scheduler';

@Module({
  imports: [ResultsCoreModule, QueueModule],
  providers: [DarajaInboxProcessor, DarajaInboxSweeper, StatementScheduler],
})
export class ResultsWorkerModule {}
