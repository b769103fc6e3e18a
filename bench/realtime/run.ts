/**
 * Realtime benchmark (issue 7). Starts the compiled api and worker against a throwaway database,
 * connects BENCH_TERMINALS terminals (socket.io, one terminal key each), then posts valid success
 * callbacks for pre-created attempts at BENCH_RATE per second for BENCH_SECONDS, and prints the
 * time from posting the callback to the api until `payment.updated` (succeeded) reaches the
 * terminal that took the payment, plus the api's resident memory.
 * Run: npm run build && node -r ./scripts/register-paths.js dist/bench/realtime/run.js
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Pool } from 'pg';
import type { PaymentUpdated } from '@malipo/realtime';
import { io, type Socket } from 'socket.io-client';
import { createBenchDatabase, freePort, percentile, rssMiB, startApp } from '../support/bench-env';
import { seed } from './seed';

const TERMINALS = Number(process.env.BENCH_TERMINALS ?? 500);
const TENANTS = Number(process.env.BENCH_TENANTS ?? 10);
const RATE = Number(process.env.BENCH_RATE ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const SECRET = 'bench-callback-secret-0123456789abcdef';
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const out = (line: string) => process.stdout.write(`${line}\n`);

function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function connectAll(url: string, keys: string[], onEvent: (e: PaymentUpdated) => void) {
  const sockets: Socket[] = [];
  for (let i = 0; i < keys.length; i += 50) {
    const batch = keys.slice(i, i + 50).map(
      (token) =>
        new Promise<Socket>((resolve, reject) => {
          const s = io(`${url}/terminals`, {
            transports: ['websocket'],
            auth: { token },
            forceNew: true,
          });
          s.on('payment.updated', onEvent);
          s.once('connect', () => resolve(s));
          s.once('connect_error', reject);
        }),
    );
    sockets.push(...(await Promise.all(batch)));
  }
  return sockets;
}

async function main(): Promise<void> {
  const db = await createBenchDatabase();
  const pool = new Pool({ connectionString: db.url, max: 5 });
  const apiPort = await freePort();
  const workerPort = await freePort();
  const env = {
    DATABASE_URL: db.url,
    REDIS_PREFIX: `malipo_bench_rt_${randomBytes(3).toString('hex')}`,
    CALLBACK_SECRET: SECRET,
    CREDENTIALS_KEY: 'bench-credentials-key-0123456789abcdef',
    NODE_ENV: 'test',
    RECONCILE_ENABLED: 'false',
  };
  const total = RATE * SECONDS;
  out(`seeding ${TENANTS} tenants, ${TERMINALS} terminals, ${total} accepted attempts...`);
  const { terminals, callbacks } = await seed(pool, {
    tenants: TENANTS,
    terminals: TERMINALS,
    payments: total,
    callbackSecret: SECRET,
  });
  const api = await startApp('api', { ...env, PORT: String(apiPort) }, apiPort);
  const worker = await startApp('worker', { ...env, WORKER_PORT: String(workerPort) }, workerPort);
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const arrivedAt = new Map<string, number>();
  let duplicates = 0;
  const seen = new Set<string>();
  const onEvent = (e: PaymentUpdated) => {
    if (e.event.to !== 'succeeded') return;
    const t0 = sentAt.get(e.payment.id);
    if (t0 === undefined) return;
    if (seen.has(e.payment.id)) duplicates += 1;
    else {
      latencies.push(performance.now() - t0);
      arrivedAt.set(e.payment.id, Date.now());
    }
    seen.add(e.payment.id);
  };
  let sockets: Socket[] = [];
  try {
    const rssIdle = rssMiB(api.pid);
    sockets = await connectAll(
      `http://127.0.0.1:${apiPort}`,
      terminals.map((t) => t.key),
      onEvent,
    );
    const rssConnected = rssMiB(api.pid);
    out(
      `connected ${sockets.length} terminals; api RSS ${rssIdle.toFixed(0)} MiB idle -> ${rssConnected.toFixed(0)} MiB`,
    );
    let errors = 0;
    let rssPeak = rssConnected;
    const started = performance.now();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < callbacks.length; i += 1) {
      const wait = started + (i * 1000) / RATE - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      if (i % RATE === 0) rssPeak = Math.max(rssPeak, rssMiB(api.pid));
      const c = callbacks[i];
      sentAt.set(c.paymentId, performance.now());
      pending.push(
        post(`http://127.0.0.1:${apiPort}${c.path}`, c.body).then(
          (status) => {
            if (status >= 400) errors += 1;
          },
          () => {
            errors += 1;
          },
        ),
      );
    }
    await Promise.all(pending);
    const drainUntil = Date.now() + 30_000;
    while (seen.size < callbacks.length && Date.now() < drainUntil) {
      await new Promise((r) => setTimeout(r, 100));
    }
    rssPeak = Math.max(rssPeak, rssMiB(api.pid));
    latencies.sort((a, b) => a - b);
    out('\n== realtime benchmark ==');
    out(
      `machine: ${os.cpus().length} CPUs, load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')} (1/5/15 min)`,
    );
    out(
      `terminals ${sockets.length}, tenants ${TENANTS}, rate ${RATE} callbacks/s for ${SECONDS} s`,
    );
    out(
      `delivered ${latencies.length}/${callbacks.length}, duplicates ${duplicates}, callback errors ${errors}`,
    );
    out(
      `callback posted -> payment.updated at the terminal: p50 ${percentile(latencies, 50).toFixed(1)} ms, ` +
        `p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${(latencies.at(-1) ?? NaN).toFixed(1)} ms`,
    );
    // Split the path at the commit: the worker's share and the realtime share (same host clock).
    const rows = (
      await pool.query(
        `select p.id, extract(epoch from i.received_at) * 1000 as received, extract(epoch from e.created_at) * 1000 as committed
         from callback_inbox i join payment_attempts a on a.id = i.attempt_id join payments p on p.id = a.payment_id
         join payment_events e on e.payment_id = p.id and e.to_status = 'succeeded'`,
      )
    ).rows as { id: string; received: string; committed: string }[];
    const applied = rows.map((r) => Number(r.committed) - Number(r.received)).sort((a, b) => a - b);
    const pushed = rows
      .filter((r) => arrivedAt.has(r.id))
      .map((r) => (arrivedAt.get(r.id) as number) - Number(r.committed))
      .sort((a, b) => a - b);
    out(
      `  callback stored -> event transaction began (queue + worker): p50 ${percentile(applied, 50).toFixed(1)} ms, p99 ${percentile(applied, 99).toFixed(1)} ms`,
    );
    out(
      `  event transaction began -> at the terminal (commit + realtime): p50 ${percentile(pushed, 50).toFixed(1)} ms, p99 ${percentile(pushed, 99).toFixed(1)} ms`,
    );
    out(
      `api RSS: ${rssConnected.toFixed(0)} MiB with ${sockets.length} sockets, peak ${rssPeak.toFixed(0)} MiB`,
    );
  } finally {
    sockets.forEach((s) => s.close());
    api.kill('SIGTERM');
    worker.kill('SIGTERM');
    await pool.end();
    await new Promise((r) => setTimeout(r, 1500));
    await db.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:realtime failed: ${String(error)}\n`);
  process.exit(1);
});
