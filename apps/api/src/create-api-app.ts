import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ShutdownState, createHttpApp, loadConfig } from '@malipo/common';
import { CALLBACK_PREFIX } from './callbacks/callback-paths';
import { installStkCallbackRoute } from './callbacks/stk-callback.route';
import { serveConsole } from './console/serve-console';
import { installStopHooks } from './lifecycle/graceful-stop';
import { setupOpenApi } from './openapi';

export interface ApiAppOptions {
  /**
   * Nest's own SIGTERM handling closes everything at once; `main.ts` turns it off and runs the
   * api's graceful stop instead. In-process tests keep it.
   */
  shutdownHooks?: boolean;
}

/** The api as `npm start` and the tests run it: Fastify, callback body handling, OpenAPI, console. */
export async function createApiApp(opts: ApiAppOptions = {}): Promise<NestFastifyApplication> {
  const config = loadConfig();
  const { ApiModule } = await import('./api.module');
  const trustProxy = config.TRUSTED_PROXIES.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const app = await createHttpApp(ApiModule, {
    bodyLimit: 32 * 1024,
    trustProxy,
    lenient: { prefix: CALLBACK_PREFIX, bodyLimit: 1024 * 1024 },
    shutdownHooks: opts.shutdownHooks ?? true,
  });
  installStopHooks(app, app.get(ShutdownState));
  installStkCallbackRoute(app);
  setupOpenApi(app);
  await serveConsole(app);
  return app;
}
