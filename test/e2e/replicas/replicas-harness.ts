import { spawn } from 'node:child_process';
import path from 'node:path';
import { withAdminClient, type Db } from '@malipo/db';
import { startDarajaSim, type RunningDarajaSim } from '../../../apps/daraja-sim/src/start-sim';
import { connectTestDb } from '../../factories/tenancy';
import {
  FAST_RECONCILE,
  startCompiledApi,
  startCompiledWorker,
  type CompiledApp,
} from '../../support/compiled-stack';
import { ROOT } from '../../support/processes';
import { startRoundRobinProxy, type RoundRobinProxy } from '../../support/round-robin-proxy';
import { dropScratchDatabase } from '../../../libs/db/src/scratch-database';
import { ADMIN_DATABASE_URL, uniqueSuffix } from '../../support/test-env';

/**
 * The production shape on one machine: an empty database migrated by the deploy's migrations
 * step (run twice at once, as two pods would), two compiled api and two compiled worker
 * processes with MIGRATE_ON_START=false, one Redis prefix, the simulator, and a round-robin
 * proxy in front of the apis that is also the callback URL Daraja calls.
 */
export interface Replicas {
  sim: RunningDarajaSim;
  proxy: RoundRobinProxy;
  apis: CompiledApp[];
  workers: CompiledApp[];
  db: Db;
  /** Exit codes of the two concurrent migration runs. */
  migrations: (number | null)[];
  close: () => Promise<void>;
}

/** `node dist/scripts/migrate.js`, the one-shot command of the compose service and k8s Job. */
function migrate(env: Record<string, string>): Promise<number | null> {
  const child = spawn(
    process.execPath,
    [
      '-r',
      path.join(ROOT, 'scripts/register-paths.js'),
      path.join(ROOT, 'dist/scripts/migrate.js'),
    ],
    { env: { ...process.env, ...env }, stdio: 'ignore' },
  );
  return new Promise((resolve) => child.once('exit', resolve));
}

export async function startReplicas(env: Record<string, string>): Promise<Replicas> {
  const name = `malipo_${uniqueSuffix()}_replicas_test`;
  await withAdminClient(ADMIN_DATABASE_URL, (a) => a.query(`create database "${name}"`));
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  const migrations = await Promise.all([0, 1].map(() => migrate({ DATABASE_URL: url.toString() })));

  const sim = await startDarajaSim({ logLevel: 'silent', callbackDelayMs: 300 });
  const upstreams: string[] = [];
  const proxy = await startRoundRobinProxy(upstreams);
  const shared = {
    DATABASE_URL: url.toString(),
    DARAJA_SIM_URL: sim.url,
    PUBLIC_BASE_URL: proxy.url,
    MIGRATE_ON_START: 'false',
    ...FAST_RECONCILE,
    ...env,
  };
  const [a, b, w1, w2] = await Promise.all([
    startCompiledApi(shared),
    startCompiledApi(shared),
    startCompiledWorker(shared),
    startCompiledWorker(shared),
  ]);
  upstreams.push(a.url, b.url);
  const { db, close: closeDb } = connectTestDb();
  return {
    sim,
    proxy,
    apis: [a, b],
    workers: [w1, w2],
    db,
    migrations,
    close: async () => {
      await Promise.all([a, b, w1, w2].map((p) => p.stop('SIGKILL')));
      await proxy.close();
      await sim.close();
      await closeDb();
      await dropScratchDatabase(ADMIN_DATABASE_URL, name);
    },
  };
}
