import type { INestApplicationContext } from '@nestjs/common';
import { asTenantId } from '@malipo/common';
import { createPgPool, PG_POOL } from '@malipo/db';
import { PaymentService } from '@malipo/payments';
import type { Pool } from 'pg';
import { connectTestDb, createTenantWithKeys } from '../../factories/tenancy';
import { createAcceptedPayment, paidEvent } from '../../factories/payments';
import { bootPaymentsCore } from '../../support/nest-apps';

/** Tables the app may read and append to but never change (migration 0008). */
const APPEND_ONLY = ['audit_entries', 'audit_checkpoints'];

describe('the application role (DB_APP_ROLE=malipo_app)', () => {
  let core: INestApplicationContext;
  let appPool: Pool;
  let admin: ReturnType<typeof connectTestDb>;

  beforeAll(async () => {
    process.env.DB_APP_ROLE = 'malipo_app';
    core = await bootPaymentsCore();
    appPool = core.get<Pool>(PG_POOL);
    admin = connectTestDb();
  });

  afterAll(async () => {
    delete process.env.DB_APP_ROLE;
    await core?.close();
    await admin?.close();
  });

  it("runs the app's connections as malipo_app, not as the user of DATABASE_URL", async () => {
    const who = await appPool.query<{ role: string; login: string }>(
      'select current_user as role, session_user as login',
    );
    expect(who.rows[0]).toEqual({ role: 'malipo_app', login: 'postgres' });
  });

  it('writes an audited payment change through the one path, then cannot update or delete its audit rows', async () => {
    const t = await createTenantWithKeys(admin.db);
    const tenantId = asTenantId(t.tenantId);
    const p = await createAcceptedPayment(core, { tenantId, channelId: t.channelId });
    const paid = await core.get(PaymentService).apply(tenantId, p.paymentId, paidEvent(p), {
      source: 'callback',
      actor: { kind: 'daraja', ip: '196.201.214.200' },
    });
    expect(paid.transition).toMatchObject({ kind: 'applied', payment: { status: 'succeeded' } });

    const rows = await appPool.query<{ action: string }>(
      'select action from audit_entries where chain_id = $1 order by seq',
      [tenantId],
    );
    expect(rows.rows.map((r) => r.action)).toEqual([
      'payment.created',
      'payment.stk_accepted',
      'payment.paid',
    ]);
    // The privilege refuses before the append-only trigger would (both use SQLSTATE 42501).
    const denied = /permission denied for table audit_entries/;
    await expect(
      appPool.query(`update audit_entries set action = 'x' where chain_id = $1`, [tenantId]),
    ).rejects.toThrow(denied);
    await expect(
      appPool.query('delete from audit_entries where chain_id = $1', [tenantId]),
    ).rejects.toThrow(denied);
    await expect(appPool.query('truncate audit_entries')).rejects.toThrow(denied);
  });

  it('grants every table in full except the append-only ones, which get select and insert only', async () => {
    const grants = await admin.pool.query<{ table: string; privileges: string[] }>(`
      select c.relname as table, array(
        select p from unnest(array['SELECT','INSERT','UPDATE','DELETE','TRUNCATE']) p
        where has_table_privilege('malipo_app', c.oid, p)
      ) as privileges
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p')
      order by c.relname`);
    expect(grants.rows.length).toBeGreaterThan(20);
    for (const { table, privileges } of grants.rows) {
      const expected = APPEND_ONLY.includes(table)
        ? ['SELECT', 'INSERT']
        : ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];
      expect({ table, privileges }).toEqual({ table, privileges: expected });
    }
  });

  it('fails the checkout, not a later query, when the role cannot be taken', async () => {
    const pool = createPgPool({
      connectionString: process.env.DATABASE_URL!,
      max: 1,
      role: 'malipo_no_such_role',
    });
    try {
      await expect(pool.query('select 1')).rejects.toThrow(/malipo_no_such_role/);
    } finally {
      await pool.end();
    }
  });
});
