/**
 * POST /v1/payments benchmark (issue 4): the compiled api against the compiled simulator with no
 * added latency. Prints requests/s and p50/p99, and the service's own overhead: the same
 * percentiles minus those of STK pushes sent straight to the simulator at the same concurrency.
 * Run: npm run bench:initiate   (env BENCH_REQUESTS=2000 BENCH_CONCURRENCY=16)
 */
import { createHash, randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { SecretBox, generateApiKey } from '@malipo/common';
import { buildPassword, darajaTimestamp } from '@malipo/daraja';
import {
  closedLoop,
  createBenchDatabase,
  dropRedisPrefix,
  freePort,
  percentile,
  postJson,
  startApp,
} from '../support/bench-env';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
/** Shops in the run: events are ordered per shop, so one shop's changes serialise on its sequence. */
const TENANTS = Number(process.env.BENCH_TENANTS ?? 8);
const SHORTCODE = '174379';
const PASSKEY = 'bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919';
const CREDENTIALS_KEY = 'bench-credentials-key-0123456789abcdef';

async function seedShop(pool: Pool): Promise<string> {
  const box = SecretBox.fromConfig({ CREDENTIALS_KEY, CREDENTIALS_KEY_ID: 'k1' });
  const { sealed, keyId } = box.seal({
    passkey: PASSKEY,
    consumerKey: 'malipo-sim-key',
    consumerSecret: 'malipo-sim-secret',
  });
  const tenant = (await pool.query(`insert into tenants (name) values ('bench') returning id`))
    .rows[0].id as string;
  const channel = (
    await pool.query(
      `insert into channels (tenant_id, name, kind, shortcode, party_b, environment, secrets_sealed, secrets_key_id, credential_fingerprint)
       values ($1, 'bench', 'paybill', $2, $2, 'simulator', $3, $4, $5) returning id`,
      [
        tenant,
        SHORTCODE,
        sealed,
        keyId,
        createHash('sha256').update('malipo-sim-key').digest('hex'),
      ],
    )
  ).rows[0].id as string;
  const terminal = (
    await pool.query(
      `insert into terminals (tenant_id, name, code, channel_id) values ($1, 'till', 'till-1', $2) returning id`,
      [tenant, channel],
    )
  ).rows[0].id as string;
  const key = generateApiKey('terminal');
  await pool.query(
    `insert into api_keys (tenant_id, terminal_id, role, name, prefix, key_hash) values ($1, $2, 'terminal', 'bench', $3, $4)`,
    [tenant, terminal, key.prefix, key.hash],
  );
  return key.key;
}

/** A distinct phone per request whose last four digits (5xxx) pick no simulator scenario. */
const phone = (i: number) =>
  `07${String(Math.floor(i / 1000)).padStart(4, '0')}5${String(i % 1000).padStart(3, '0')}`;

async function main(): Promise<void> {
  const db = await createBenchDatabase();
  const pool = new Pool({ connectionString: db.url, max: 4 });
  const [apiPort, simPort] = [await freePort(), await freePort()];
  const prefix = `malipo_bench_${randomBytes(3).toString('hex')}`;
  const env = {
    DATABASE_URL: db.url,
    REDIS_PREFIX: prefix,
    CALLBACK_SECRET: 'bench-callback-secret-0123456789abcdef',
    CREDENTIALS_KEY,
    NODE_ENV: 'test',
  };
  const keys: string[] = [];
  for (let t = 0; t < TENANTS; t++) keys.push(await seedShop(pool));
  // Callbacks far in the future keep this a measure of initiation alone.
  const sim = await startApp(
    'daraja-sim',
    { SIM_PORT: String(simPort), SIM_CALLBACK_DELAY_MS: '600000' },
    simPort,
  );
  const api = await startApp(
    'api',
    {
      ...env,
      PORT: String(apiPort),
      DARAJA_SIM_URL: `http://127.0.0.1:${simPort}`,
      NODE_OPTIONS: process.env.BENCH_API_NODE_OPTIONS ?? '',
    },
    apiPort,
  );
  try {
    const url = `http://127.0.0.1:${apiPort}/v1/payments`;
    const send = (i: number) =>
      postJson(url, JSON.stringify({ orderRef: `B-${i}`, amount: 10, phone: phone(i) }), {
        authorization: `Bearer ${keys[i % keys.length]}`,
        'idempotency-key': `bench-${i}`,
      });
    await closedLoop(100, 4, (i) => send(REQUESTS + i)); // warm-up
    const service = await closedLoop(REQUESTS, CONCURRENCY, send);

    const token = JSON.parse(
      (await (
        await fetch(`http://127.0.0.1:${simPort}/oauth/v1/generate?grant_type=client_credentials`, {
          headers: {
            authorization: `Basic ${Buffer.from('malipo-sim-key:malipo-sim-secret').toString('base64')}`,
          },
        })
      ).text()) as string,
    ).access_token as string;
    const direct = await closedLoop(REQUESTS, CONCURRENCY, (i) => {
      const ts = darajaTimestamp(new Date());
      return postJson(
        `http://127.0.0.1:${simPort}/mpesa/stkpush/v1/processrequest`,
        JSON.stringify({
          BusinessShortCode: SHORTCODE,
          Password: buildPassword(SHORTCODE, PASSKEY, ts),
          Timestamp: ts,
          TransactionType: 'CustomerPayBillOnline',
          Amount: 10,
          PartyA: `254${phone(REQUESTS * 3 + i).slice(1)}`,
          PartyB: SHORTCODE,
          PhoneNumber: `254${phone(REQUESTS * 3 + i).slice(1)}`,
          CallBackURL: 'http://127.0.0.1:9/v1/hooks/stk/x',
          AccountReference: 'BENCH',
          TransactionDesc: 'Payment',
        }),
        { authorization: `Bearer ${token}` },
      );
    });
    const p = (r: { latencies: number[] }, q: number) => percentile(r.latencies, q);
    process.stdout.write('\n== initiate benchmark ==\n');
    process.stdout.write(
      `POST /v1/payments: ${service.rate.toFixed(0)} req/s at concurrency ${CONCURRENCY} over ${TENANTS} shops, p50 ${p(service, 50).toFixed(1)} ms, p99 ${p(service, 99).toFixed(1)} ms, statuses ${JSON.stringify(Object.fromEntries(service.statuses))}\n`,
    );
    process.stdout.write(
      `simulator push alone: ${direct.rate.toFixed(0)} req/s, p50 ${p(direct, 50).toFixed(1)} ms, p99 ${p(direct, 99).toFixed(1)} ms\n`,
    );
    process.stdout.write(
      `service overhead: p50 ${(p(service, 50) - p(direct, 50)).toFixed(1)} ms, p99 ${(p(service, 99) - p(direct, 99)).toFixed(1)} ms\n`,
    );
  } finally {
    api.kill('SIGINT');
    sim.kill('SIGTERM');
    await pool.end();
    await new Promise((r) => setTimeout(r, 1500));
    await db.drop();
    await dropRedisPrefix(prefix);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:initiate failed: ${String(error)}\n`);
  process.exit(1);
});
