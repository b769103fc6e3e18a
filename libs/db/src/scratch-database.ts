import { runMigrations, withAdminClient } from './migrate';

/**
 * Throwaway databases for test runs and benchmarks. Only names ending in `_test` are accepted, so
 * neither helper can ever create or drop a real database.
 */
function scratchName(name: string): string {
  if (!/^[a-z0-9_]+_test$/.test(name)) {
    throw new Error(
      `refusing scratch database "${name}": lower-case, digits, _ and a _test suffix`,
    );
  }
  return name;
}

function urlFor(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Creates and migrates `name`; returns its connection URL. */
export async function createScratchDatabase(adminUrl: string, name: string): Promise<string> {
  await withAdminClient(adminUrl, (admin) => admin.query(`create database "${scratchName(name)}"`));
  const url = urlFor(adminUrl, name);
  await runMigrations(url);
  return url;
}

/**
 * Drops `name`. pg's `pool.end()` resolves before its sockets have closed, and a forced drop in
 * that gap terminates them: the client then gets FATAL 57P01 and its pool emits 'error', which
 * crashed a test file. So wait (bounded) for the last sessions to leave, then force what remains.
 */
export async function dropScratchDatabase(
  adminUrl: string,
  name: string,
  waitMs = 5_000,
): Promise<void> {
  const db = scratchName(name);
  await withAdminClient(adminUrl, async (admin) => {
    for (const until = Date.now() + waitMs; Date.now() < until;) {
      const open = await admin.query<{ n: number }>(
        'select count(*)::int as n from pg_stat_activity where datname = $1',
        [db],
      );
      if (open.rows[0]?.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await admin.query(`drop database if exists "${db}" with (force)`);
  });
}
