import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../http/public.decorator';
import { metricsRegistry, startDefaultMetrics } from './metrics';

/** Prometheus scrape endpoint; bind the port privately in production. */
@ApiExcludeController()
@Public()
@SkipThrottle()
@Controller('metrics')
export class MetricsController {
  constructor() {
    startDefaultMetrics();
  }

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4')
  scrape(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
