import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { createScratchDatabase } from '../../libs/db/src/scratch-database';
import { freePort } from './processes';
import { uniqueSuffix } from './test-env';

const run = promisify(execFile);

export interface PrivatePostgres {
  /** A migrated database `<name>_test` on this cluster. */
  database(name: string): Promise<string>;
  stop(): Promise<void>;
  start(): Promise<void>;
  drop(): Promise<void>;
}

/**
 * A PostgreSQL cluster of the test's own (pg_createcluster), so a test may restart it without
 * touching the shared server on 5432. Trust auth on loopback, like the shared one.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const version = readdirSync('/etc/postgresql').sort().at(-1);
  if (!version) throw new Error('no PostgreSQL installation under /etc/postgresql');
  const name = `malipo_${uniqueSuffix()}`.slice(0, 40);
  const port = await freePort();
  await run('pg_createcluster', [version, name, '-p', String(port), '--', '--auth=trust']);
  await run('pg_ctlcluster', [version, name, 'start']);
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    database: (db) => createScratchDatabase(adminUrl, `${db}_test`),
    stop: async () => {
      await run('pg_ctlcluster', [version, name, 'stop', '-m', 'fast']);
    },
    start: async () => {
      await run('pg_ctlcluster', [version, name, 'start']);
    },
    drop: async () => {
      await run('pg_dropcluster', ['--stop', version, name]);
    },
  };
}
