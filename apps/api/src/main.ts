import 'reflect-metadata';
import { AppConfig, armShutdownDeadline, runMain } from '@malipo/common';

runMain('api', async () => {
  const { createApiApp } = await import('./create-api-app');
  const app = await createApiApp();
  const config = app.get(AppConfig);
  armShutdownDeadline('api', config.SHUTDOWN_TIMEOUT_MS);
  await app.listen(config.PORT, config.HOST);
  process.stdout.write(
    `api: listening on http://${config.HOST}:${config.PORT} (OpenAPI at /docs)\n`,
  );
});
