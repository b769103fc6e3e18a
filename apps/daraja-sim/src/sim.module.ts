import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { loggerOptions } from '@malipo/common';
import { Registry } from 'prom-client';
import { DarajaController } from './daraja.controller';
import { DarajaSim } from './daraja-sim';
import { SimAdminController } from './sim-admin.controller';
import { SimConfig, loadSimConfig } from './sim-config';
import { SimHealthController } from './sim-health.controller';
import { SimMetricsController } from './sim-metrics.controller';
import { SimPullController } from './sim-pull.controller';
import { SimResultsAdminController } from './sim-results-admin.controller';
import { SimResultsController } from './sim-results.controller';

/** The only place the simulator reads the environment. */
export function simConfigFromEnv(): SimConfig {
  return loadSimConfig(process.env);
}

@Module({})
export class SimModule {
  static forRoot(config: SimConfig, sim: DarajaSim, registry = new Registry()): DynamicModule {
    return {
      module: SimModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            ...loggerOptions({ level: config.LOG_LEVEL, pretty: false, name: 'daraja-sim' }),
            autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health') },
          },
        }),
      ],
      controllers: [
        SimHealthController,
        DarajaController,
        SimAdminController,
        SimPullController,
        SimResultsController,
        SimResultsAdminController,
        SimMetricsController,
      ],
      providers: [
        { provide: SimConfig, useValue: config },
        { provide: DarajaSim, useValue: sim },
        { provide: Registry, useValue: registry },
      ],
    };
  }
}
