import './tracing';
import 'reflect-metadata';
import { AppConfig, ShutdownState, armShutdownDeadline, loadConfig, runMain } from '@malipo/common';
import { prepareSchema } from '@malipo/db';

runMain('api', async () => {
  const boot = loadConfig();
  await prepareSchema(boot.DATABASE_URL, boot.MIGRATE_ON_START);
  const { createApiApp } = await import('./create-api-app');
  const { stopGracefully } = await import('./lifecycle/graceful-stop');
  const app = await createApiApp({ shutdownHooks: false });
  const config = app.get(AppConfig);
  const state = app.get(ShutdownState);
  armShutdownDeadline('api', config.SHUTDOWN_TIMEOUT_MS, process, () => state.describe());
  const stop = (signal: NodeJS.Signals) => {
    if (state.draining) return;
    state.begin();
    process.stdout.write(`api: ${signal}: draining for ${config.SHUTDOWN_DRAIN_MS} ms\n`);
    stopGracefully(app, state, config.SHUTDOWN_DRAIN_MS).then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`api: stop failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await app.listen(config.PORT, config.HOST);
  process.stdout.write(
    `api: listening on http://${config.HOST}:${config.PORT} (OpenAPI at /docs)\n`,
  );
});
