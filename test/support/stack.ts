import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Db } from '@malipo/db';
import type { Pool } from 'pg';
import {
  startDarajaSim,
  type RunningDarajaSim,
  type StartDarajaSimOptions,
} from '../../apps/daraja-sim/src/start-sim';
import { connectTestDb, createTenantWithKeys, type TenantWithKeys } from '../factories/tenancy';
import { startCompiledApi, startCompiledWorker, type CompiledApp } from './compiled-stack';
import { bootApi, bootWorker } from './nest-apps';
import { useOwnDatabase } from './scratch-db';

export interface StackOptions {
  /** The simulator's settings; it always runs, with silent logs. */
  sim?: StartDarajaSimOptions;
  /** Settings for api and worker (DARAJA_SIM_URL and DATABASE_URL are filled in). */
  env?: Record<string, string>;
  /** An in-process worker (default true); false for files that boot theirs mid-test. */
  worker?: boolean;
  /**
   * A migrated database of this file's own, for files whose reconciler or assertions must not
   * meet other files' rows (the run's database is shared by every file).
   */
  ownDatabase?: boolean;
  /** Another database (e.g. on a private PostgreSQL cluster a test restarts). */
  databaseUrl?: string;
}

interface StackBase {
  sim: RunningDarajaSim;
  db: Db;
  pool: Pool;
  /** The env api and worker run with. */
  env: Record<string, string>;
  /** A fresh shop with a simulator channel, a terminal and owner, terminal and ops keys. */
  shop(opts?: Parameters<typeof createTenantWithKeys>[1]): Promise<TenantWithKeys>;
  /** Everything down in order: worker, api, simulator, database handle, own database. */
  close(): Promise<void>;
}

export interface Stack extends StackBase {
  api: { app: NestFastifyApplication; url: string };
  worker: INestApplicationContext | undefined;
}

export interface CompiledStack extends StackBase {
  api: CompiledApp;
  worker: CompiledApp | undefined;
}

async function base(o: StackOptions) {
  const sim = await startDarajaSim({ logLevel: 'silent', ...o.sim });
  const own = o.ownDatabase ? await useOwnDatabase() : undefined;
  if (o.databaseUrl) process.env.DATABASE_URL = o.databaseUrl;
  const env = { DATABASE_URL: process.env.DATABASE_URL!, DARAJA_SIM_URL: sim.url, ...o.env };
  const { db, pool, close: closeDb } = connectTestDb();
  const shop = (opts?: Parameters<typeof createTenantWithKeys>[1]) =>
    createTenantWithKeys(db, opts);
  const closeBase = async () => {
    await sim.close();
    await closeDb();
    await own?.drop();
  };
  return { sim, env, db, pool, shop, closeBase };
}

/** api (and worker) in this process, the simulator, and a database handle: most e2e files. */
export async function startStack(o: StackOptions = {}): Promise<Stack> {
  const { closeBase, ...b } = await base(o);
  const api = await bootApi(b.env);
  const worker = o.worker === false ? undefined : await bootWorker(b.env);
  return {
    ...b,
    api,
    worker,
    close: async () => {
      await worker?.close();
      await api.app.close();
      await closeBase();
    },
  };
}

/** The compiled api and worker as their own processes, for tests that kill, stop or restart. */
export async function startCompiledStack(o: StackOptions = {}): Promise<CompiledStack> {
  const { closeBase, ...b } = await base(o);
  const api = await startCompiledApi(b.env);
  const worker = o.worker === false ? undefined : await startCompiledWorker(b.env);
  return {
    ...b,
    api,
    worker,
    close: async () => {
      await api.stop('SIGKILL');
      await worker?.stop('SIGKILL');
      await closeBase();
    },
  };
}
