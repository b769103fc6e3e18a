import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { runMain, validateConfig } from '@malipo/common';
import { ensureDatabase, runMigrations } from '@malipo/db';
import { applyDevDefaults } from './dev-defaults';

const ROOT = path.resolve(__dirname, '..', '..');
const APPS = ['daraja-sim', 'api', 'worker'] as const;

function launch(app: string): ChildProcess {
  const entry = path.join(ROOT, 'dist', 'apps', app, 'src', 'main.js');
  const child = spawn(
    process.execPath,
    ['-r', path.join(ROOT, 'scripts', 'register-paths.js'), entry],
    {
      env: process.env,
      stdio: 'inherit',
    },
  );
  child.on('exit', (code, signal) => {
    if (!stopping) {
      process.stderr.write(`start: ${app} exited (${signal ?? code}); stopping the others\n`);
      stopAll(code ?? 1);
    }
  });
  return child;
}

let stopping = false;
const children: ChildProcess[] = [];

function stopAll(exitCode: number): void {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(exitCode), 10_000).unref();
  Promise.all(
    children.map((c) => new Promise((r) => (c.exitCode !== null ? r(0) : c.once('exit', r)))),
  ).then(
    () => process.exit(exitCode),
    () => process.exit(exitCode),
  );
}

// `npm start`: migrate, then run the Daraja simulator, the api and the worker side by side.
runMain('start', async () => {
  applyDevDefaults(process.env);
  const config = validateConfig(process.env);
  await ensureDatabase(config.DATABASE_URL);
  await runMigrations(config.DATABASE_URL);
  process.stdout.write('start: migrations applied\n');
  for (const app of APPS) children.push(launch(app));
  process.on('SIGINT', () => stopAll(0));
  process.on('SIGTERM', () => stopAll(0));
});
