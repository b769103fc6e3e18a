import { existsSync } from 'node:fs';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { Client } from 'pg';

/**
 * The checked-in SQL stays in libs/db/migrations; code runs either from sources or from dist/,
 * so walk up from here to the first folder that has it.
 */
export function migrationsFolder(from = __dirname): string {
  for (let dir = from; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'libs', 'db', 'migrations');
    if (existsSync(path.join(candidate, 'meta', '_journal.json'))) return candidate;
  }
  throw new Error(`no libs/db/migrations folder above ${from}`);
}

/** Runs `work` on a short-lived connection (for statements that cannot run in a pool's session). */
export async function withAdminClient<T>(
  adminUrl: string,
  work: (admin: Client) => Promise<T>,
): Promise<T> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** Creates the database when it does not exist yet, so a fresh machine needs no manual step. */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  await withAdminClient(url.toString(), async (admin) => {
    const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await admin.query(`create database "${name.replace(/"/g, '""')}"`);
  });
}

/** Held while migrating: concurrent migrators (replicas starting at once) queue behind it. */
const MIGRATION_LOCK = 7236311;

/** Applies pending migrations; an advisory lock lets several processes start at once safely. */
export async function runMigrations(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrate(drizzle(client), { migrationsFolder: migrationsFolder() });
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await client.end();
  }
}

/** How many checked-in migrations the database has not applied (drizzle's own bookkeeping). */
export async function pendingMigrations(databaseUrl: string): Promise<number> {
  const files = readMigrationFiles({ migrationsFolder: migrationsFolder() });
  return withAdminClient(databaseUrl, async (client) => {
    const table = await client.query(
      "select to_regclass('drizzle.__drizzle_migrations') is not null as present",
    );
    if (!table.rows[0]?.present) return files.length;
    const applied = await client.query<{ created_at: string }>(
      'select created_at from drizzle.__drizzle_migrations',
    );
    const done = new Set(applied.rows.map((r) => Number(r.created_at)));
    return files.filter((f) => !done.has(f.folderMillis)).length;
  });
}

/**
 * Before a process serves: apply migrations (MIGRATE_ON_START, development and tests), or refuse
 * to start on a schema behind the code (production, where the deploy's migrations step ran them).
 */
export async function prepareSchema(databaseUrl: string, migrateOnStart: boolean): Promise<void> {
  if (migrateOnStart) return runMigrations(databaseUrl);
  const pending = await pendingMigrations(databaseUrl);
  if (pending > 0) {
    throw new Error(
      `the database is ${pending} migration(s) behind this build and MIGRATE_ON_START is false: ` +
        'run the migrations step first (node -r ./scripts/register-paths.js dist/scripts/migrate.js)',
    );
  }
}
