import { readMigrationFiles } from 'drizzle-orm/migrator';
import { ADMIN_DATABASE_URL, uniqueSuffix } from '../../../test/support/test-env';
import {
  migrationsFolder,
  pendingMigrations,
  prepareSchema,
  runMigrations,
  withAdminClient,
} from './migrate';
import { dropScratchDatabase } from './scratch-database';

const MIGRATORS = 5;

/** A fresh, empty database (no migration applied) of this test's own. */
async function emptyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `malipo_${uniqueSuffix()}_migrate_test`;
  await withAdminClient(ADMIN_DATABASE_URL, (admin) => admin.query(`create database "${name}"`));
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => dropScratchDatabase(ADMIN_DATABASE_URL, name) };
}

describe(runMigrations.name, () => {
  const files = readMigrationFiles({ migrationsFolder: migrationsFolder() });
  let db: { url: string; drop: () => Promise<void> };

  beforeEach(async () => {
    db = await emptyDatabase();
  });
  afterEach(() => db?.drop());

  it(`lets ${MIGRATORS} migrators started at the same moment all succeed, each migration applied once`, async () => {
    expect(await pendingMigrations(db.url)).toBe(files.length);
    const results = await Promise.allSettled(
      Array.from({ length: MIGRATORS }, () => runMigrations(db.url)),
    );
    expect(results.map((r) => r.status)).toEqual(Array(MIGRATORS).fill('fulfilled'));
    const applied = await withAdminClient(db.url, (c) =>
      c.query<{ hash: string; created_at: string }>(
        'select hash, created_at from drizzle.__drizzle_migrations order by created_at',
      ),
    );
    expect(applied.rows.map((r) => r.hash)).toEqual(files.map((f) => f.hash));
    expect(await pendingMigrations(db.url)).toBe(0);
  });

  it('a process that must not migrate refuses to start on a schema behind its code, and starts once it is current', async () => {
    await expect(prepareSchema(db.url, false)).rejects.toThrow(
      new RegExp(`${files.length} migration\\(s\\) behind.*MIGRATE_ON_START is false`),
    );
    await prepareSchema(db.url, true);
    await expect(prepareSchema(db.url, false)).resolves.toBeUndefined();
  });
});
