import { type DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';
import { loggerOptions, requestIdFor, urlForLog } from './logger-options';

/** nestjs-pino wired with our redaction and request ids; every line in a request carries `reqId`. */
@Module({})
export class LoggingModule {
  static forRoot(name: string): DynamicModule {
    return { module: LoggingModule, imports: [LoggingModule.pino(name)], exports: [] };
  }

  private static pino(name: string): DynamicModule {
    return LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          ...loggerOptions({
            level: config.LOG_LEVEL,
            pretty: config.LOG_PRETTY,
            name,
          }),
          genReqId: (req) => requestIdFor(req),
          customAttributeKeys: { reqId: 'requestId' },
          autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health') },
          // One line per answered request is the hot path's largest logging cost (serialising,
          // redacting, masking) at hundreds of callbacks a second: successes are debug lines,
          // refusals info, failures errors. LOG_LEVEL=debug brings the access log back.
          customLogLevel: (_req, res, err) =>
            err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug',
          serializers: {
            req: (req: { id: string; method: string; url: string }) => ({
              id: req.id,
              method: req.method,
              url: urlForLog(req.url),
            }),
          },
        },
        // Daraja's callbacks log their own failures (apps/api/src/callbacks/stk-callback.route.ts):
        // a request logger made per callback was the largest logging cost left on that route.
        exclude: [
          { method: RequestMethod.ALL, path: 'health/{*path}' },
          { method: RequestMethod.ALL, path: 'v1/hooks/{*path}' },
        ],
      }),
    });
  }
}
