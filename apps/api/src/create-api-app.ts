import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp, loadConfig } from '@malipo/common';
import { serveConsole } from './console/serve-console';
import { setupOpenApi } from './openapi';

export const CALLBACK_PREFIX = '/v1/hooks/';

/** The api as `npm start` and the tests run it: Fastify, callback body handling, OpenAPI, console. */
export async function createApiApp(): Promise<NestFastifyApplication> {
  const config = loadConfig();
  const { ApiModule } = await import('./api.module');
  const trustProxy = config.TRUSTED_PROXIES.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const app = await createHttpApp(ApiModule, {
    bodyLimit: 32 * 1024,
    trustProxy,
    lenient: { prefix: CALLBACK_PREFIX, bodyLimit: 1024 * 1024 },
  });
  setupOpenApi(app);
  await serveConsole(app);
  return app;
}
