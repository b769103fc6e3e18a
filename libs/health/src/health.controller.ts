import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '@malipo/common';
import { DependencyHealth } from './dependency-health';

@ApiTags('health')
@Public()
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly dependencies: DependencyHealth,
  ) {}

  /** The process is up and its event loop answers. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready to serve: PostgreSQL and Redis answer. 503 names whichever does not. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.dependencies.accepting(),
      () => this.dependencies.postgres(),
      () => this.dependencies.redisPing(),
    ]);
  }
}
