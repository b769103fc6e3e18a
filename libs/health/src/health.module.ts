import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DependencyHealth } from './dependency-health';
import { HealthController } from './health.controller';
import { ReadinessMetrics } from './readiness-metrics';

/** Liveness and readiness; metrics are served by each app (the api on METRICS_PORT). */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [DependencyHealth, ReadinessMetrics],
})
export class HealthModule {}
