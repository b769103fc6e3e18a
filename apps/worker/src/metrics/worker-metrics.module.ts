import { Module } from '@nestjs/common';
import { FlushTracingOnShutdown } from '@malipo/common';
import { PaymentsCoreModule } from '@malipo/payments';
import { QueueModule } from '@malipo/queue';
import { BacklogMetrics } from './backlog-metrics';
import { CallbackTimingMetrics } from './callback-timing-metrics';

/** Gauges the worker computes on scrape, and timings read off its BullMQ workers. */
@Module({
  imports: [PaymentsCoreModule, QueueModule],
  providers: [BacklogMetrics, CallbackTimingMetrics, FlushTracingOnShutdown],
})
export class WorkerMetricsModule {}
