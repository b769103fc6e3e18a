import type { ChildProcess } from 'node:child_process';
import { Queue } from 'bullmq';
import { Pool } from 'pg';
import { QUEUES } from '@malipo/queue';
import { freePort, startApp } from '../support/bench-env';
import { processCpuMs, rssOf, treeCpuMs } from '../support/machine';
import {
  RedisCommandCounter,
  StatementCounter,
  startPrivateServices,
  type PrivateServices,
} from '../support/private-services';
import { CALLBACK_SECRET, CREDENTIALS_KEY } from './seed';

export type AppName = 'api' | 'worker' | 'sim';

/** CPU milliseconds used so far by each Malipo process and by the PostgreSQL cluster. */
export interface CpuReading {
  api: number;
  worker: number;
  sim: number;
  postgres: number;
  redis: number;
}

/**
 * Everything `npm start` runs (api, worker, simulator), over a private PostgreSQL and Redis, with
 * the counters the benchmarks read: CPU per process, statements, Redis commands, peak RSS.
 */
export class BenchStack {
  readonly pool: Pool;
  readonly statements: StatementCounter;
  readonly redisCommands: RedisCommandCounter;
  readonly peakRss: Record<AppName, number> = { api: 0, worker: 0, sim: 0 };
  private readonly callbacksQueue: Queue;
  private readonly sampler: NodeJS.Timeout;

  private constructor(
    readonly services: PrivateServices,
    readonly apiUrl: string,
    readonly simUrl: string,
    private readonly apps: Record<AppName, ChildProcess>,
    prefix: string,
  ) {
    this.pool = new Pool({ connectionString: services.databaseUrl, max: 10 });
    this.statements = new StatementCounter(services.databaseUrl);
    this.redisCommands = new RedisCommandCounter(services.redisUrl);
    this.callbacksQueue = new Queue(QUEUES.callbacks, {
      prefix: `${prefix}:bull`,
      connection: { url: services.redisUrl },
    });
    this.sampler = setInterval(() => this.sampleRss(), 200);
  }

  static async start(): Promise<BenchStack> {
    const services = await startPrivateServices();
    const [apiPort, workerPort, simPort] = [await freePort(), await freePort(), await freePort()];
    const prefix = 'malipo_bench';
    const simUrl = `http://127.0.0.1:${simPort}`;
    const env = {
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: services.redisUrl,
      REDIS_PREFIX: prefix,
      CALLBACK_SECRET,
      // Seeded payments are not the reconciler's business here; its own bench is bench:reconcile.
      RECONCILE_ENABLED: 'false',
      CREDENTIALS_KEY,
      DARAJA_SIM_URL: simUrl,
      PUBLIC_BASE_URL: `http://127.0.0.1:${apiPort}`,
      // 'production' refuses the simulator; nothing on the measured paths differs in 'test'.
      NODE_ENV: 'test',
    };
    // Callbacks of initiated payments far in the future: initiation is measured alone.
    const sim = await startApp(
      'daraja-sim',
      { SIM_PORT: String(simPort), SIM_CALLBACK_DELAY_MS: '600000' },
      simPort,
    );
    const api = await startApp('api', { ...env, PORT: String(apiPort) }, apiPort);
    const worker = await startApp(
      'worker',
      { ...env, WORKER_PORT: String(workerPort) },
      workerPort,
    );
    return new BenchStack(
      services,
      `http://127.0.0.1:${apiPort}`,
      simUrl,
      { api, worker, sim },
      prefix,
    );
  }

  /** Stored callbacks wait in the queue: a backlog builds without touching the worker process. */
  pauseCallbacks(): Promise<void> {
    return this.callbacksQueue.pause();
  }

  resumeCallbacks(): Promise<void> {
    return this.callbacksQueue.resume();
  }

  cpu(): CpuReading {
    return {
      api: processCpuMs(this.apps.api.pid),
      worker: processCpuMs(this.apps.worker.pid),
      sim: processCpuMs(this.apps.sim.pid),
      postgres: treeCpuMs(this.services.postgresPid),
      redis: processCpuMs(this.services.redisPid),
    };
  }

  /** Resident memory of each process now, in MiB. */
  rssNow(): Record<AppName, number> {
    return {
      api: rssOf(this.apps.api.pid),
      worker: rssOf(this.apps.worker.pid),
      sim: rssOf(this.apps.sim.pid),
    };
  }

  private sampleRss(): void {
    for (const name of Object.keys(this.apps) as AppName[]) {
      this.peakRss[name] = Math.max(this.peakRss[name], rssOf(this.apps[name].pid) || 0);
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.sampler);
    await this.callbacksQueue.close();
    await this.pool.end();
    await Promise.all(
      Object.values(this.apps).map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 8_000).unref();
          }),
      ),
    );
    await this.services.stop();
  }
}

export function cpuDelta(before: CpuReading, after: CpuReading): CpuReading {
  return {
    api: after.api - before.api,
    worker: after.worker - before.worker,
    sim: after.sim - before.sim,
    postgres: after.postgres - before.postgres,
    redis: after.redis - before.redis,
  };
}
