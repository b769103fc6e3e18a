import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import Redis from 'ioredis';
import { createScratchDatabase, dropScratchDatabase } from '@malipo/db';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
const ADMIN_URL =
  process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A throwaway database (name ends in _test, like the test suite's) migrated and ready. */
export async function createBenchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `malipo_bench_${randomBytes(4).toString('hex')}_test`;
  const url = await createScratchDatabase(ADMIN_URL, name);
  return { url, drop: () => dropScratchDatabase(ADMIN_URL, name) };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The checkout whose build the apps run from: this one, unless BENCH_APP_ROOT names another
 * (bench:audit points it at a build of the code before auditing, to print both figures). The
 * bench's own code, seed and schema stay this checkout's, so only the apps differ.
 */
const APP_ROOT = process.env.BENCH_APP_ROOT ?? ROOT;

/** Starts a compiled app (`npm run build` first) and waits for its health check. */
export async function startApp(
  app: 'api' | 'worker' | 'daraja-sim',
  env: Record<string, string>,
  healthPort: number,
): Promise<ChildProcess> {
  const entry = path.join(APP_ROOT, 'dist', 'apps', app, 'src', 'main.js');
  // e.g. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the apps under load.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(
    process.execPath,
    [...nodeArgs, '-r', path.join(APP_ROOT, 'scripts', 'register-paths.js'), entry],
    {
      env: {
        ...process.env,
        LOG_LEVEL: 'warn',
        LOG_PRETTY: 'false',
        // Any free port: a bench api must not fail on 9464 held by another process.
        METRICS_PORT: '0',
        // The limiter stays in the path (its Redis round trip is part of the cost measured), but
        // one bench key sends far more than a till's share a minute.
        RATE_LIMIT_PER_MINUTE: '100000000',
        RATE_LIMIT_PAYMENTS_PER_MINUTE: '100000000',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${healthPort}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`${app} did not become ready`);
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  // Nearest rank: the smallest value with at least p % of the samples at or below it.
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** POSTs JSON with keep-alive; resolves with status and milliseconds taken. */
export function postJson(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; ms: number; text: string }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            ms: Number(process.hrtime.bigint() - started) / 1e6,
            text,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Sends `rate` requests per second for `seconds` (open loop: a slow server does not slow the
 * sender), returns latencies and how many were answered in time.
 */
export async function openLoop(
  rate: number,
  seconds: number,
  send: (i: number) => Promise<{ status: number; ms: number }>,
) {
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  let errors = 0;
  const started = Date.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(
      send(i).then(
        (r) => {
          if (r.status >= 400) errors += 1;
          latencies.push(r.ms);
        },
        () => {
          errors += 1;
        },
      ),
    );
  }
  await Promise.all(pending);
  const elapsed = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    sent: total,
    achievedRate: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
  };
}

/** Removes every Redis key a benchmark created under its prefix. */
export async function dropRedisPrefix(prefix: string): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
  redis.disconnect();
}

/** Runs `count` requests with `concurrency` in flight (closed loop); latencies sorted. */
export async function closedLoop(
  count: number,
  concurrency: number,
  send: (i: number) => Promise<{ status: number; ms: number }>,
) {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const r = await send(i);
        latencies.push(r.ms);
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { rate: count / ((Date.now() - started) / 1000), latencies, statuses };
}

/** Resident set size of a process in MiB (Linux /proc). */
export function rssMiB(pid: number | undefined): number {
  if (!pid) return NaN;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024;
}

/** Daraja's success callback JSON for an accepted attempt of KES 100, with a fresh receipt. */
export function successCallbackBody(
  merchantRequestId: string,
  checkoutRequestId: string,
  receiptPrefix = 'B',
): string {
  return JSON.stringify({
    Body: {
      stkCallback: {
        MerchantRequestID: merchantRequestId,
        CheckoutRequestID: checkoutRequestId,
        ResultCode: 0,
        ResultDesc: 'The service request is processed successfully.',
        CallbackMetadata: {
          Item: [
            { Name: 'Amount', Value: 100 },
            {
              Name: 'MpesaReceiptNumber',
              Value: `${receiptPrefix}${randomBytes(5).toString('hex').toUpperCase().slice(0, 9)}`,
            },
            { Name: 'Balance' },
            { Name: 'TransactionDate', Value: 20261122103015 },
            { Name: 'PhoneNumber', Value: 254712345678 },
          ],
        },
      },
    },
  });
}
