import './tracing';
import 'reflect-metadata';
import {
  AppConfig,
  ShutdownState,
  armShutdownDeadline,
  createHttpApp,
  loadConfig,
  runMain,
} from '@malipo/common';
import { prepareSchema } from '@malipo/db';

// The worker serves nothing but /health over HTTP; its real work is queue processors and ticks.
runMain('worker', async () => {
  const boot = loadConfig();
  await prepareSchema(boot.DATABASE_URL, boot.MIGRATE_ON_START);
  const { WorkerModule } = await import('./worker.module');
  const app = await createHttpApp(WorkerModule);
  const config = app.get(AppConfig);
  armShutdownDeadline('worker', config.SHUTDOWN_TIMEOUT_MS);
  // Readiness says so at once; Nest's shutdown hooks then close the processors.
  const state = app.get(ShutdownState);
  process.once('SIGTERM', () => state.begin());
  process.once('SIGINT', () => state.begin());
  await app.listen(config.WORKER_PORT, config.HOST);
  process.stdout.write(
    `worker: health on http://${config.HOST}:${config.WORKER_PORT}/health/ready\n`,
  );
});
