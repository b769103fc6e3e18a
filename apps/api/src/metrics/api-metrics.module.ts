import { Module } from '@nestjs/common';
import { FlushTracingOnShutdown } from '@malipo/common';
import { ApiMetricsServer } from './api-metrics.server';

/** The api's Prometheus endpoint on its own port (METRICS_PORT); its last spans flushed at stop. */
@Module({
  providers: [ApiMetricsServer, FlushTracingOnShutdown],
  exports: [ApiMetricsServer],
})
export class ApiMetricsModule {}
