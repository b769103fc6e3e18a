import type { IncomingMessage } from 'node:http';
import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppErrorFilter } from '../http/app-error.filter';
import { appValidationPipe } from '../http/validation.pipe';
import { requestIdFor } from '../logging/logger-options';
import { installHttpMetrics } from '../metrics/http-metrics';
import { installTraceRouteNames } from '../tracing/route-names';
import { installBodyParsing, type LenientRoutes } from './body-parsing';
import { clientErrorHandler, CodedFastifyAdapter, frameworkErrors } from './framework-errors';

export interface HttpAppOptions {
  /** Largest accepted request body in bytes. */
  bodyLimit?: number;
  /** Honour X-Forwarded-For from these proxy addresses only. */
  trustProxy?: string[];
  /** Routes under this prefix get raw, never-refused bodies (see installLenientBodyParsing). */
  lenient?: LenientRoutes;
  /** Nest closes the app on SIGTERM/SIGINT (default); false when the caller runs its own stop. */
  shutdownHooks?: boolean;
}

/** Fastify-based Nest app with our logger, error filter and validation; not yet listening. */
export async function createHttpApp(
  module: Type<unknown>,
  opts: HttpAppOptions = {},
): Promise<NestFastifyApplication> {
  const adapter = new CodedFastifyAdapter({
    bodyLimit: opts.bodyLimit ?? 64 * 1024,
    trustProxy: opts.trustProxy?.length ? opts.trustProxy : false,
    genReqId: (req: IncomingMessage) => requestIdFor(req),
    requestIdHeader: false,
    // Callback tokens (tenant id, attempt id, HMAC) are about 110 characters.
    routerOptions: { maxParamLength: 256 },
    // While closing, requests on connections still open (a callback on a kept-alive socket) are
    // served, not answered 503: what Daraja sent must be stored to the very end.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    frameworkErrors,
    clientErrorHandler,
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    bufferLogs: true,
    abortOnError: false,
    // Fastify's own JSON parser stays (prototype-poisoning safe); Nest's would clash with ours.
    bodyParser: false,
  });
  installBodyParsing(app.getHttpAdapter().getInstance(), opts.lenient);
  installHttpMetrics(app.getHttpAdapter().getInstance());
  installTraceRouteNames(app.getHttpAdapter().getInstance());
  useCommonHttp(app);
  if (opts.shutdownHooks !== false) app.enableShutdownHooks();
  return app;
}

export function useCommonHttp(app: INestApplication): void {
  app.useLogger(app.get(Logger));
  app.useGlobalFilters(new AppErrorFilter());
  app.useGlobalPipes(appValidationPipe());
}
