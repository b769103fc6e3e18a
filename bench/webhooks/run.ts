/**
 * Webhook benchmark (issue 8). Starts the compiled worker against a throwaway database, commits a
 * burst of payment events for a tenant with one endpoint (a local receiver), and prints
 * commit→receipt latency (p50/p99) and delivered events per second. The worker is a separate
 * process, so nothing wakes its dispatcher early: latency includes up to one dispatch interval.
 * Run: npm run build && node -r ./scripts/register-paths.js dist/bench/webhooks/run.js
 *      (env BENCH_EVENTS=2000 BENCH_CONCURRENCY=20 BENCH_DISPATCH_MS=250 to change)
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { SecretBox } from '@malipo/common';
import {
  createBenchDatabase,
  dropRedisPrefix,
  freePort,
  percentile,
  startApp,
} from '../support/bench-env';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
const DISPATCH_MS = process.env.BENCH_DISPATCH_MS ?? '250';
const KEY = 'bench-credentials-key-0123456789abcdef';

async function receiver(onEvent: (id: string) => void) {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      onEvent((JSON.parse(body) as { data: { id: string } }).data.id);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` };
}

async function seed(pool: Pool, url: string): Promise<{ tenant: string; payments: string[] }> {
  const tenant = (await pool.query(`insert into tenants (name) values ('bench') returning id`))
    .rows[0].id as string;
  const channel = (
    await pool.query(
      `insert into channels (tenant_id, name, kind, shortcode, party_b, environment, secrets_sealed, secrets_key_id, credential_fingerprint)
       values ($1, 'bench', 'paybill', '174379', '174379', 'simulator', 'unused', 'k1', 'unused') returning id`,
      [tenant],
    )
  ).rows[0].id as string;
  const sealed = SecretBox.fromConfig({ CREDENTIALS_KEY: KEY, CREDENTIALS_KEY_ID: 'k1' }).seal(
    `whsec_${randomBytes(32).toString('base64url')}`,
  ).sealed;
  await pool.query(
    `insert into webhook_endpoints (tenant_id, url, event_types, secret_sealed, created_at)
     values ($1, $2, array['payment.succeeded'], $3, now() - interval '1 minute')`,
    [tenant, url, sealed],
  );
  const rows = await pool.query(
    `insert into payments (tenant_id, channel_id, order_ref, amount, phone, status, receipt)
     select $1, $2, 'W-' || g, 100, '254712345678', 'succeeded', 'R' || lpad(g::text, 9, '0')
     from generate_series(1, $3) g returning id`,
    [tenant, channel, EVENTS],
  );
  return { tenant, payments: rows.rows.map((r: { id: string }) => r.id) };
}

/** What PaymentService.apply writes for a change: the tenant's next seq and one event row. */
async function commitEvent(pool: Pool, tenant: string, paymentId: string): Promise<void> {
  await pool.query(
    `with s as (update tenants set event_seq = event_seq + 1 where id = $1 returning event_seq)
     insert into payment_events (tenant_id, payment_id, seq, type, from_status, to_status, data)
     select $1, $2, s.event_seq, 'paid', 'awaiting_customer', 'succeeded', '{}'::jsonb from s`,
    [tenant, paymentId],
  );
}

async function main(): Promise<void> {
  const db = await createBenchDatabase();
  const prefix = `bench-webhooks-${randomBytes(3).toString('hex')}`;
  const pool = new Pool({ connectionString: db.url, max: CONCURRENCY + 2 });
  const committedAt = new Map<string, number>();
  const latencies: number[] = [];
  let lastArrival = 0;
  const rx = await receiver((id) => {
    const t = committedAt.get(id);
    if (t !== undefined) latencies.push(Date.now() - t);
    lastArrival = Date.now();
  });
  const port = await freePort();
  const worker = await startApp(
    'worker',
    {
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      REDIS_PREFIX: prefix,
      WORKER_PORT: String(port),
      CREDENTIALS_KEY: KEY,
      CALLBACK_SECRET: 'bench-callback-secret-0123456789abcdef',
      WEBHOOK_DISPATCH_EVERY_MS: DISPATCH_MS,
      WEBHOOK_CONCURRENCY: process.env.BENCH_WORKER_CONCURRENCY ?? '32',
      DATABASE_POOL_SIZE: process.env.BENCH_POOL ?? '10',
    },
    port,
  );
  try {
    const { tenant, payments } = await seed(pool, rx.url);
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < payments.length) {
          const id = payments[next++];
          await commitEvent(pool, tenant, id);
          committedAt.set(id, Date.now());
        }
      }),
    );
    const committed = Date.now();
    const deadline = Date.now() + 120_000;
    while (latencies.length < EVENTS && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    latencies.sort((a, b) => a - b);
    const seconds = (lastArrival - started) / 1000;
    process.stdout.write(
      [
        `webhooks: ${latencies.length}/${EVENTS} events delivered (one endpoint, dispatch every ${DISPATCH_MS} ms)`,
        `  commit burst: ${((committed - started) / 1000).toFixed(2)} s at concurrency ${CONCURRENCY}`,
        `  commit→receipt latency: p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${latencies[latencies.length - 1]} ms`,
        `  throughput: ${(latencies.length / seconds).toFixed(0)} deliveries/s (first commit to last receipt)`,
        '',
      ].join('\n'),
    );
  } finally {
    worker.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    rx.server.close();
    await pool.end();
    await db.drop();
    await dropRedisPrefix(prefix);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
