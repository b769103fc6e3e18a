import { Client } from 'pg';
import { createPgPool } from './pg-pool';
import { waitFor } from '../../../test/support/processes';
import { uniqueSuffix } from '../../../test/support/test-env';

describe(createPgPool.name, () => {
  it('keeps the process alive when the server drops an idle connection, and serves the next query', async () => {
    const applicationName = `malipo_pool_${uniqueSuffix()}`;
    const warnings: unknown[] = [];
    const pool = createPgPool(
      { connectionString: process.env.DATABASE_URL!, max: 2, applicationName },
      { warn: (entry: unknown) => warnings.push(entry) },
    );
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      await pool.query('select 1');
      expect(pool.idleCount).toBe(1);
      const killed = await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
        [applicationName],
      );
      expect(killed.rowCount).toBe(1);
      await waitFor(async () => warnings.length === 1);
      expect(warnings[0]).toMatchObject({ code: '57P01', checkedOut: false });
      const after = await pool.query<{ one: number }>('select 1 as one');
      expect(after.rows).toEqual([{ one: 1 }]);
    } finally {
      await admin.end();
      await pool.end();
    }
  });

  it('keeps the process alive when a connection in a transaction is lost, and fails only that work', async () => {
    const applicationName = `malipo_pool_${uniqueSuffix()}`;
    const warnings: unknown[] = [];
    const pool = createPgPool(
      { connectionString: process.env.DATABASE_URL!, max: 2, applicationName },
      { warn: (entry: unknown) => warnings.push(entry) },
    );
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      const client = await pool.connect();
      await client.query('begin');
      await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
        [applicationName],
      );
      // Without a listener on the checked-out client, this 'error' event ends the process.
      await waitFor(async () => warnings.length === 1);
      expect(warnings[0]).toMatchObject({ code: '57P01', checkedOut: true });
      await expect(client.query('select 1')).rejects.toThrow();
      client.release(true);
      const after = await pool.query<{ one: number }>('select 1 as one');
      expect(after.rows).toEqual([{ one: 1 }]);
    } finally {
      await admin.end();
      await pool.end();
    }
  });
});
