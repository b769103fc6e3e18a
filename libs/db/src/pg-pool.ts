import { Logger } from '@nestjs/common';
import { escapeIdentifier, Pool, type ClientBase, type PoolClient, type PoolConfig } from 'pg';
import { watchPoolClients } from './pool-metrics';

export interface PgPoolOptions {
  connectionString: string;
  max: number;
  statementTimeoutMs?: number;
  /** Shown in pg_stat_activity, so an operator can tell whose connections they are. */
  applicationName?: string;
  /** `SET ROLE` on every new connection before it is handed out (DB_APP_ROLE). */
  role?: string;
}

type PgError = Error & { code?: string };

/** One line per lost connection, at most every 10 s per pool: a restart must not flood the log. */
function rateLimitedWarn(logger: Pick<Logger, 'warn'>, everyMs = 10_000) {
  let last = 0;
  let suppressed = 0;
  return (err: PgError, checkedOut: boolean) => {
    const now = Date.now();
    if (now - last < everyMs) {
      suppressed++;
      return;
    }
    last = now;
    logger.warn(
      { code: err.code, message: err.message, checkedOut, suppressed },
      checkedOut
        ? 'PostgreSQL connection lost in use; its unit of work fails and is retried'
        : 'idle PostgreSQL connection lost',
    );
    suppressed = 0;
  };
}

async function setRole(client: ClientBase, role: string): Promise<void> {
  await client.query(`set role ${escapeIdentifier(role)}`);
}

/**
 * A pg Pool that survives losing a connection, idle or in use. pg emits 'error' on the pool when
 * the server drops an idle client, and on the client itself when it is checked out (inside a
 * transaction, say) and the server goes away (restart, failover, pg_terminate_backend). An
 * 'error' event with no listener throws and takes the whole process down with the payments in
 * flight. The query in progress still rejects, which fails that one unit of work (a job retries,
 * a callback is answered 503); the pool discards the broken client when it is released.
 */
export function createPgPool(
  options: PgPoolOptions,
  logger: Pick<Logger, 'warn'> = new Logger('PgPool'),
): Pool {
  const config: PoolConfig = {
    connectionString: options.connectionString,
    max: options.max,
    connectionTimeoutMillis: 5_000,
    application_name: options.applicationName ?? 'malipo',
  };
  if (options.statementTimeoutMs !== undefined) {
    config.statement_timeout = options.statementTimeoutMs;
  }
  const role = options.role;
  if (role) {
    // pg-pool awaits this before the client's first use; a failure (no such role, not a member)
    // fails that checkout, so a wrong DB_APP_ROLE stops the process at its startup query.
    // @types/pg declares the hook as returning void; pg-pool (3.7+) awaits what it returns.
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    config.onConnect = (client: ClientBase) => setRole(client, role);
  }
  const pool = new Pool(config);
  watchPoolClients(pool);
  const warn = rateLimitedWarn(logger);
  pool.on('error', (err: PgError) => warn(err, false));
  // The pool listens to idle clients only; a checked-out client needs its own listener.
  const inUse = new WeakSet<PoolClient>();
  pool.on('acquire', (client) => inUse.add(client));
  pool.on('release', (_err, client) => inUse.delete(client));
  pool.on('connect', (client) =>
    client.on('error', (err: PgError) => {
      if (inUse.has(client)) warn(err, true);
    }),
  );
  return pool;
}
