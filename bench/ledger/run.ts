/**
 * Ledger benchmark (issue 17). Run: `npm run bench:ledger` (PostgreSQL on 127.0.0.1). Prints
 * postings per second under concurrency on one hot account and across many accounts, next to the
 * bare insert rate of the same machine: one autocommit INSERT of a row as wide as an entry.
 * A posting is the one statement (balance guard, journal, two entries, webhook outbox check),
 * alone and inside BEGIN/COMMIT as a charge runs it. Everything happens in a throwaway database.
 * Then whole charges as POST /v1/accounts/:id/charges runs them (ChargeService: the idempotency
 * key, the posting and the shop's audit entry, which takes the shop's chain-head row lock, in one
 * transaction): the figure a shop sees.
 * BENCH_SECONDS (default 5) per figure, BENCH_CONCURRENCY (default 16), BENCH_ACCOUNTS (1000).
 */
import 'reflect-metadata';
import { drizzle } from 'drizzle-orm/node-postgres';
import { Pool } from 'pg';
import { asTenantId, type TenantId } from '@malipo/common';
import { schema, type Db } from '@malipo/db';
import { LedgerRepository, chargePlan, depositPlan } from '@malipo/payments';
import { randomUUID } from 'node:crypto';
import { createBenchDatabase } from '../support/bench-env';
import { describeMachine } from '../support/machine';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 1000);

/** Runs `one` in CONCURRENCY loops for SECONDS; returns operations per second. */
async function rate(one: (worker: number, i: number) => Promise<void>): Promise<number> {
  const until = Date.now() + SECONDS * 1000;
  const started = Date.now();
  const counts = await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, worker) => {
      let n = 0;
      while (Date.now() < until) await one(worker, n++);
      return n;
    }),
  );
  return counts.reduce((a, b) => a + b, 0) / ((Date.now() - started) / 1000);
}

async function seed(pool: Pool): Promise<{ tenantId: TenantId; accountIds: string[] }> {
  const { rows } = await pool.query<{ id: string }>(
    `insert into tenants (name) values ('bench') returning id`,
  );
  const tenantId = asTenantId(rows[0].id);
  const accounts = await pool.query<{ id: string }>(
    `insert into accounts (tenant_id, code, name, balance)
     select $1, 'AC' || lpad(i::text, 8, '0'), 'Bench ' || i, 0 from generate_series(1, $2) i
     returning id`,
    [tenantId, ACCOUNTS],
  );
  return { tenantId, accountIds: accounts.rows.map((r) => r.id) };
}

/**
 * A credit then a debit, so the balance stays small and every debit is covered. The posting
 * statement is atomic on its own: `inTransaction` adds the BEGIN and COMMIT round trips a
 * charge pays (its idempotency answer commits with it), during which the row lock is held.
 */
function poster(db: Db, ledger: LedgerRepository, tenantId: TenantId, inTransaction: boolean) {
  const once = async (handle: Db, accountId: string, i: number) => {
    const plan = i % 2 === 0 ? depositPlan(10) : chargePlan(10);
    const posted = await ledger.post(handle, tenantId, {
      accountId,
      plan,
      source: { orderRef: `B-${i}` },
      requireActive: true,
    });
    if (!posted) throw new Error('posting refused');
  };
  return (accountId: string, i: number) =>
    inTransaction
      ? db.transaction((tx) => once(tx as unknown as Db, accountId, i))
      : once(db, accountId, i);
}

/**
 * Charges through ChargeService in a Nest context over the bench database, after a deposit that
 * covers them on every account. Returns the hot-account and the many-accounts rate.
 */
async function chargeRates(
  url: string,
  db: Db,
  tenantId: TenantId,
  accountIds: string[],
): Promise<{ hot: number; many: number }> {
  process.env.DATABASE_URL = url;
  process.env.REDIS_PREFIX = `bench-ledger-${randomUUID().slice(0, 8)}`;
  process.env.LOG_LEVEL ??= 'warn';
  // Bench-only secrets, as the other benches use: no Daraja call is made here.
  process.env.CALLBACK_SECRET ??= 'bench-callback-secret-0123456789abcdef';
  process.env.CREDENTIALS_KEY ??= 'bench-credentials-key-0123456789abcdef';
  process.env.NODE_ENV ??= 'test';
  const { NestFactory } = await import('@nestjs/core');
  const { Module } = await import('@nestjs/common');
  const { AppConfigModule } = await import('@malipo/common');
  const { DbModule } = await import('@malipo/db');
  const { RedisModule } = await import('@malipo/queue');
  const { AccountsModule, ChargeService } = await import('@malipo/payments');
  @Module({ imports: [AppConfigModule.forRoot(), DbModule, RedisModule, AccountsModule] })
  class ChargeBenchModule {}
  const app = await NestFactory.createApplicationContext(ChargeBenchModule, { logger: false });
  try {
    const ledger = new LedgerRepository();
    for (const accountId of accountIds) {
      await ledger.post(db, tenantId, {
        accountId,
        plan: depositPlan(1_000_000),
        source: { orderRef: `SEED-${accountId.slice(0, 8)}` },
        requireActive: true,
      });
    }
    const charges = app.get(ChargeService);
    const charge = async (accountId: string) => {
      const key = randomUUID();
      const answer = await charges.charge({
        tenantId,
        terminalId: null,
        accountId,
        key,
        amount: 1,
        orderRef: `C-${key.slice(0, 8)}`,
      });
      if (answer.status !== 201) throw new Error(`charge answered ${answer.status}`);
    };
    const hot = await rate(() => charge(accountIds[0]));
    const many = await rate((worker, i) =>
      charge(accountIds[(worker + CONCURRENCY * i) % accountIds.length]),
    );
    return { hot, many };
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const bench = await createBenchDatabase();
  const pool = new Pool({ connectionString: bench.url, max: CONCURRENCY + 2 });
  try {
    await pool.query(`create table bare_inserts (id bigserial primary key, tenant_id uuid not null,
      journal_id uuid not null, account_id uuid, system_account text, amount bigint not null,
      balance_before bigint, balance_after bigint, created_at timestamptz not null default now())`);
    const { tenantId, accountIds } = await seed(pool);
    const db = drizzle(pool, { schema }) as unknown as Db;
    const ledger = new LedgerRepository();
    const post = poster(db, ledger, tenantId, false);
    const postInTx = poster(db, ledger, tenantId, true);

    const bare = await rate(async () => {
      await pool.query(
        `insert into bare_inserts (tenant_id, journal_id, account_id, amount, balance_before,
           balance_after) values ($1, gen_random_uuid(), $2, 10, 0, 10)`,
        [tenantId, accountIds[0]],
      );
    });
    // Each worker keeps its own deposit/charge parity, so a debit always follows its credit.
    const hot = await rate((_, i) => post(accountIds[0], i));
    const many = await rate((worker, i) =>
      post(accountIds[(worker + CONCURRENCY * Math.floor(i / 2)) % accountIds.length], i),
    );
    const hotTx = await rate((_, i) => postInTx(accountIds[0], i));
    const manyTx = await rate((worker, i) =>
      postInTx(accountIds[(worker + CONCURRENCY * Math.floor(i / 2)) % accountIds.length], i),
    );
    const charges = await chargeRates(bench.url, db, tenantId, accountIds);
    const check = await pool.query<{ n: string }>(
      `select count(*) as n from accounts a where a.balance <> coalesce(
         (select sum(amount) from ledger_entries e where e.account_id = a.id), 0)`,
    );
    const pct = (x: number) => `${Math.round((x / bare) * 100)} %`;
    console.log(describeMachine('machine'));
    console.log(`concurrency ${CONCURRENCY}, ${SECONDS} s per figure, ${ACCOUNTS} accounts`);
    console.table([
      { figure: 'bare insert (autocommit, 1 row)', perSecond: Math.round(bare), ofBare: '100 %' },
      { figure: 'postings, one hot account', perSecond: Math.round(hot), ofBare: pct(hot) },
      { figure: 'postings, many accounts', perSecond: Math.round(many), ofBare: pct(many) },
      { figure: 'BEGIN+posting+COMMIT, hot', perSecond: Math.round(hotTx), ofBare: pct(hotTx) },
      { figure: 'BEGIN+posting+COMMIT, many', perSecond: Math.round(manyTx), ofBare: pct(manyTx) },
      {
        figure: 'whole charges (key+posting+audit), hot',
        perSecond: Math.round(charges.hot),
        ofBare: pct(charges.hot),
      },
      {
        figure: 'whole charges (key+posting+audit), many, 1 shop',
        perSecond: Math.round(charges.many),
        ofBare: pct(charges.many),
      },
    ]);
    console.log(`aims: many >= 50 % of bare (${pct(many)}), hot >= 500/s (${Math.round(hot)}/s)`);
    console.log(`accounts whose balance is not the sum of entries: ${check.rows[0].n}`);
  } finally {
    await pool.end();
    await bench.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
