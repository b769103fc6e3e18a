import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { Client } from 'pg';
import { createScratchDatabase } from '@malipo/db';
import { freePort } from './bench-env';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster and a Redis server of the benchmark's own. Nothing else runs on them, so
 * their CPU counters and statement counts are Malipo's alone, whatever the shared servers on
 * 5432/6379 are doing for other work on the machine.
 */
export interface PrivateServices {
  databaseUrl: string;
  redisUrl: string;
  postgresPid: number;
  redisPid: number;
  stop(): Promise<void>;
}

async function startPostgres() {
  const version = readdirSync('/etc/postgresql').sort().at(-1);
  if (!version) throw new Error('no PostgreSQL installation under /etc/postgresql');
  const name = `malipo_bench_${randomBytes(3).toString('hex')}`;
  const port = await freePort();
  // The same durability as production (fsync, synchronous_commit on): speed bought by losing
  // commits would not be a figure of this service. pg_stat_statements counts the statements.
  await run('pg_createcluster', [
    version,
    name,
    '-p',
    String(port),
    '-o',
    'shared_preload_libraries=pg_stat_statements',
    '-o',
    'max_connections=200',
    '--',
    '--auth=trust',
  ]);
  await run('pg_ctlcluster', [version, name, 'start']);
  const pid = Number(
    readFileSync(`/var/run/postgresql/${version}-${name}.pid`, 'utf8').split('\n')[0],
  );
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const databaseUrl = await createScratchDatabase(adminUrl, 'malipo_bench_test');
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('create extension if not exists pg_stat_statements');
  await client.end();
  return {
    databaseUrl,
    pid,
    stop: async () => {
      await run('pg_dropcluster', ['--stop', version, name]);
    },
  };
}

async function startRedis() {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    const probe = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    const ok = await probe.connect().then(
      () => probe.ping().then(() => true),
      () => false,
    );
    probe.disconnect();
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid ?? 0,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

export async function startPrivateServices(): Promise<PrivateServices> {
  const [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  return {
    databaseUrl: pg.databaseUrl,
    redisUrl: redis.url,
    postgresPid: pg.pid,
    redisPid: redis.pid,
    stop: async () => {
      await Promise.allSettled([pg.stop(), redis.stop()]);
    },
  };
}

export interface StatementCount {
  query: string;
  calls: number;
}

/** Statement counters of the private cluster (pg_stat_statements), zeroed by `reset`. */
export class StatementCounter {
  constructor(private readonly databaseUrl: string) {}

  private async withClient<T>(work: (c: Client) => Promise<T>): Promise<T> {
    const client = new Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  reset(): Promise<void> {
    return this.withClient(async (c) => {
      await c.query('select pg_stat_statements_reset()');
    });
  }

  /** Every statement run since `reset`, by normalised text, most frequent first. */
  read(): Promise<StatementCount[]> {
    return this.withClient(async (c) => {
      const rows = await c.query<{ query: string; calls: string }>(
        `select query, calls from pg_stat_statements
         where query not like '%pg_stat_statements%' and query not like '/* bench */%'
         order by calls desc`,
      );
      return rows.rows.map((r) => ({ query: r.query, calls: Number(r.calls) }));
    });
  }
}

/** Redis commands run since `reset` (INFO commandstats of the private server). */
export class RedisCommandCounter {
  constructor(private readonly url: string) {}

  private async withClient<T>(work: (r: Redis) => Promise<T>): Promise<T> {
    const redis = new Redis(this.url);
    try {
      return await work(redis);
    } finally {
      redis.disconnect();
    }
  }

  reset(): Promise<void> {
    return this.withClient(async (r) => {
      await r.config('RESETSTAT');
    });
  }

  /** Total commands, and by command (EVALSHA counts once per script call). */
  read(): Promise<{ total: number; byCommand: Record<string, number> }> {
    return this.withClient(async (r) => {
      const info = await r.info('commandstats');
      const byCommand: Record<string, number> = {};
      for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
        if (m[1] === 'config' || m[1] === 'info') continue;
        byCommand[m[1]] = Number(m[2]);
      }
      const total = Object.values(byCommand).reduce((a, b) => a + b, 0);
      return { total, byCommand };
    });
  }
}
