import { Module } from '@nestjs/common';
import { ApiMetricsServer } from './api-metrics.server';

/** The api's Prometheus endpoint on its own port (METRICS_PORT). */
@Module({
  providers: [ApiMetricsServer],
  exports: [ApiMetricsServer],
})
export class ApiMetricsModule {}
