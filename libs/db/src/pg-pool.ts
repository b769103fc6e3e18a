import { Logger } from '@nestjs/common';
import { Pool, type PoolConfig } from 'pg';

export interface PgPoolOptions {
  connectionString: string;
  max: number;
  statementTimeoutMs?: number;
  /** Shown in pg_stat_activity, so an operator can tell whose connections they are. */
  applicationName?: string;
}

/**
 * A pg Pool that survives losing an idle connection. pg emits 'error' on the pool when the server
 * drops an idle client (restart, failover, idle timeout, an operator's pg_terminate_backend); with
 * no listener that event throws and takes the whole process down with the payments in flight.
 * The pool has already discarded the client, so logging is all there is to do.
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
  const pool = new Pool(config);
  pool.on('error', (err: Error & { code?: string }) =>
    logger.warn({ code: err.code, message: err.message }, 'idle PostgreSQL connection lost'),
  );
  return pool;
}
