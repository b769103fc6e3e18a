import { Controller, Get, Header } from '@nestjs/common';
import { Registry } from 'prom-client';

/** The simulator's own HTTP metrics, in a registry of its own (tests run it beside the api). */
@Controller('metrics')
export class SimMetricsController {
  constructor(private readonly registry: Registry) {}

  @Get()
  @Header('content-type', 'text/plain; version=0.0.4')
  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}
