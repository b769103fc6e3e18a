import { runMain, validateConfig } from '@malipo/common';
import { ensureDatabase, runMigrations } from '@malipo/db';
import { applyDevDefaults } from './dev-defaults';

// `npm run db:migrate`: create the database if needed and apply the checked-in migrations.
runMain('db:migrate', async () => {
  applyDevDefaults(process.env);
  const config = validateConfig(process.env);
  await ensureDatabase(config.DATABASE_URL);
  await runMigrations(config.DATABASE_URL);
  process.stdout.write('db:migrate: database is up to date\n');
});
