import { freePort, startCompiled, waitFor, type RunningProcess } from './processes';

export interface CompiledApp extends RunningProcess {
  port: number;
  url: string;
}

async function isReady(url: string): Promise<boolean> {
  const res = await fetch(`${url}/health/ready`).catch(() => undefined);
  return res?.status === 200;
}

/** The compiled api on a free port, ready (PostgreSQL and Redis answer) before it returns. */
export async function startCompiledApi(env: Record<string, string>): Promise<CompiledApp> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = startCompiled('api', {
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_BASE_URL: url,
    LOG_LEVEL: 'warn',
    ...env,
  });
  await waitFor(async () => {
    if (proc.child.exitCode !== null) throw new Error(`api exited: ${proc.output()}`);
    return isReady(url);
  }, 30_000);
  return { ...proc, port, url };
}

/** The compiled worker (processors, reconciler, webhooks) with its /health on a free port. */
export async function startCompiledWorker(env: Record<string, string>): Promise<CompiledApp> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = startCompiled('worker', { WORKER_PORT: String(port), LOG_LEVEL: 'warn', ...env });
  await waitFor(async () => {
    if (proc.child.exitCode !== null) throw new Error(`worker exited: ${proc.output()}`);
    return isReady(url);
  }, 30_000);
  return { ...proc, port, url };
}

/** Fast reconciliation for tests that wait on it (the defaults are minutes). */
export const FAST_RECONCILE = {
  RECONCILE_THRESHOLD_SECONDS: '1',
  RECONCILE_TICK_MS: '200',
  RECONCILE_BACKOFF_BASE_MS: '300',
  RECONCILE_BACKOFF_MAX_MS: '1000',
  PUSH_ANSWER_WINDOW_SECONDS: '2',
  // A claim whose query failed (PostgreSQL away) is tried again once its lease lapses.
  RECONCILE_LEASE_MS: '2000',
};
