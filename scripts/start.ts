import path from 'node:path';
import { runMain, validateConfig } from '@malipo/common';
import { ensureDatabase, runMigrations } from '@malipo/db';
import { applyDevDefaults } from './dev-defaults';
import { Supervisor } from './supervisor';

const ROOT = path.resolve(__dirname, '..', '..');
const APPS = ['daraja-sim', 'api', 'worker'] as const;

// `npm start`: migrate, then run the Daraja simulator, the api and the worker side by side; a
// child that crashes is restarted with a back-off instead of taking the others down.
runMain('start', async () => {
  applyDevDefaults(process.env);
  const config = validateConfig(process.env);
  await ensureDatabase(config.DATABASE_URL);
  await runMigrations(config.DATABASE_URL);
  process.stdout.write('start: migrations applied\n');
  const supervisor = new Supervisor(
    APPS.map((app) => ({
      name: app,
      command: process.execPath,
      args: [
        '-r',
        path.join(ROOT, 'scripts', 'register-paths.js'),
        path.join(ROOT, 'dist', 'apps', app, 'src', 'main.js'),
      ],
      // Migrated above, once, before any child starts.
      env: { ...process.env, MIGRATE_ON_START: 'false' },
    })),
    // Longer than the apps' own stop deadline, so their graceful stop is never cut short.
    { stopTimeoutMs: config.SHUTDOWN_TIMEOUT_MS + 5_000 },
  );
  supervisor.start();
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void supervisor.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
});
