import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { appValidationPipe, installHttpMetrics } from '@malipo/common';
import { Registry } from 'prom-client';
import { DarajaErrorFilter } from './daraja-error.filter';
import { DarajaSim, UnparsableBody } from './daraja-sim';
import { type SimConfig } from './sim-config';
import { SimModule, simConfigFromEnv } from './sim.module';

export interface StartDarajaSimOptions {
  /** 0 or unset: any free port. */
  port?: number;
  host?: string;
  callbackDelayMs?: number;
  lateCallbackMs?: number;
  tokenTtlSeconds?: number;
  consumerKey?: string;
  consumerSecret?: string;
  logLevel?: string;
}

export interface RunningDarajaSim {
  url: string;
  port: number;
  /** The engine itself: the admin API without HTTP (scenarios, faults, logs, reset). */
  sim: DarajaSim;
  app: NestFastifyApplication;
  close(): Promise<void>;
}

/**
 * Daraja sends JSON; anything else is kept as a marker so the simulator can answer the way
 * Daraja does (form-encoded → "Invalid BusinessShortCode", broken JSON → 400.002.05).
 */
function installBodyParsers(adapter: FastifyAdapter, bodyLimit: number): void {
  const fastify = adapter.getInstance();
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit },
    (_req, body, done) => {
      const text = String(body);
      if (!text.trim()) return done(null, undefined);
      try {
        done(null, JSON.parse(text) as unknown);
      } catch {
        done(null, new UnparsableBody('invalid_json'));
      }
    },
  );
  fastify.addContentTypeParser('*', { parseAs: 'string', bodyLimit }, (_req, _body, done) =>
    done(null, new UnparsableBody('not_json')),
  );
}

export async function createSimApp(
  config: SimConfig,
): Promise<{ app: NestFastifyApplication; sim: DarajaSim }> {
  const sim = new DarajaSim({
    consumerKey: config.SIM_CONSUMER_KEY,
    consumerSecret: config.SIM_CONSUMER_SECRET,
    callbackDelayMs: config.SIM_CALLBACK_DELAY_MS,
    lateCallbackMs: config.SIM_LATE_CALLBACK_MS,
    tokenTtlSeconds: config.SIM_TOKEN_TTL_SECONDS,
  });
  const bodyLimit = 256 * 1024;
  const adapter = new FastifyAdapter({ bodyLimit });
  installBodyParsers(adapter, bodyLimit);
  const registry = new Registry();
  installHttpMetrics(adapter.getInstance(), registry);
  const app = await NestFactory.create<NestFastifyApplication>(
    SimModule.forRoot(config, sim, registry),
    adapter,
    {
      bodyParser: false,
      bufferLogs: true,
      abortOnError: false,
    },
  );
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new DarajaErrorFilter(sim));
  app.useGlobalPipes(appValidationPipe());
  app.enableShutdownHooks();
  return { app, sim };
}

/** Boots the simulator in this process (tests); environment values are the defaults. */
export async function startDarajaSim(opts: StartDarajaSimOptions = {}): Promise<RunningDarajaSim> {
  const config = simConfigFromEnv();
  config.SIM_PORT = opts.port ?? 0;
  config.HOST = opts.host ?? '127.0.0.1';
  if (opts.callbackDelayMs !== undefined) config.SIM_CALLBACK_DELAY_MS = opts.callbackDelayMs;
  if (opts.lateCallbackMs !== undefined) config.SIM_LATE_CALLBACK_MS = opts.lateCallbackMs;
  if (opts.tokenTtlSeconds !== undefined) config.SIM_TOKEN_TTL_SECONDS = opts.tokenTtlSeconds;
  if (opts.consumerKey !== undefined) config.SIM_CONSUMER_KEY = opts.consumerKey;
  if (opts.consumerSecret !== undefined) config.SIM_CONSUMER_SECRET = opts.consumerSecret;
  if (opts.logLevel !== undefined) config.LOG_LEVEL = opts.logLevel;
  const { app, sim } = await createSimApp(config);
  await app.listen(config.SIM_PORT, config.HOST);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.SIM_PORT;
  return {
    url: `http://${config.HOST}:${port}`,
    port,
    sim,
    app,
    close: async () => {
      sim.close();
      await app.close();
    },
  };
}
