/**
 * `npm run bench`: every aim of issue 15 measured in one run over a private PostgreSQL and Redis,
 * three rounds (median, min, max), one table with each aim beside its figure, and the line
 * `aims: N met, M missed`. BENCH_FULL=1 runs the full sizes (20,000-callback backlog); the quick
 * default stays under three minutes. Refuses to measure on a machine already loaded above its
 * CPU count (BENCH_ALLOW_LOAD=1 overrides, and says so).
 */
import { assertQuiet, describeMachine, machineState } from '../support/machine';
import { seedShops } from './seed';
import { burst, ingestAndDrain, initiate, realtime } from './scenarios';
import { BenchStack } from './stack';
import { Terminals } from './terminals';
import { printTable, type Figure } from './table';

const FULL = process.env.BENCH_FULL === '1';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SIZES = {
  backlog: FULL ? 20_000 : 5_000,
  burst: 5_000,
  realtimeSeconds: FULL ? 30 : 8,
  initiations: FULL ? 4_000 : 1_000,
};
/** BENCH_SCENARIOS=callbacks,burst,realtime,initiate runs a subset (when profiling one path). */
const SCENARIOS = new Set(
  (process.env.BENCH_SCENARIOS ?? 'callbacks,burst,realtime,initiate').split(','),
);
const SHOPS = 10;
const TERMINALS_PER_SHOP = 50;
const out = (line: string) => process.stdout.write(`${line}\n`);

/**
 * Statements of the worker that are not the callback's transaction: the webhook outbox round a
 * commit wakes (it reads payment_events and its cursors), counted per callback beside it.
 */
const OUTSIDE_APPLY = /webhook|from "payment_events"/;

function partition<T extends { query: string }>(rows: T[], test: (q: string) => boolean) {
  return [rows.filter((r) => test(r.query)), rows.filter((r) => !test(r.query))] as const;
}

function topStatements(rows: { query: string; calls: number }[]): string[] {
  return rows
    .filter((r) => r.calls >= 0.05)
    .slice(0, 12)
    .map((r) => `  ${r.calls.toFixed(2)} × ${r.query.replace(/\s+/g, ' ').slice(0, 150)}`);
}

async function main(): Promise<void> {
  const before = machineState();
  out(describeMachine('machine before', before));
  assertQuiet(before);
  const started = Date.now();
  out('starting a private PostgreSQL and Redis, the simulator, the api and the worker...');
  const stack = await BenchStack.start();
  let terminals: Terminals | undefined;
  const figures: Figure[] = [];
  const add = (name: string, aim: Figure['aim'], round: number, value: number, unit = '') => {
    let f = figures.find((x) => x.name === name);
    if (!f) figures.push((f = { name, aim, unit, values: [] }));
    f.values[round] = value;
  };
  try {
    const shops = await seedShops(stack.pool, SHOPS, TERMINALS_PER_SHOP);
    terminals = await Terminals.connect(
      stack.apiUrl,
      shops.flatMap((s) => s.keys),
    );
    out(`${shops.length} shops, ${terminals.count} terminals connected`);
    for (let round = 0; round < ROUNDS; round++) {
      const rss = stack.rssNow();
      out(
        `round ${round + 1}/${ROUNDS} (RSS now: api ${rss.api.toFixed(0)}, worker ${rss.worker.toFixed(0)}, simulator ${rss.sim.toFixed(0)} MiB)...`,
      );
      if (SCENARIOS.has('callbacks')) {
        const cb = await ingestAndDrain(stack, shops, SIZES.backlog, `d${round}`);
        add(
          'callback ingest / bare insert',
          { atLeast: 0.5 },
          round,
          cb.ingestPerSecond / cb.barePerSecond,
        );
        add('  callback ingest (/s)', undefined, round, cb.ingestPerSecond);
        add('  bare insert, same body (/s)', undefined, round, cb.barePerSecond);
        add(
          `worker drains a ${SIZES.backlog} backlog (applied/s)`,
          { atLeast: 1000 },
          round,
          cb.drainPerSecond,
        );
        add(
          'service CPU per callback, api + worker (ms)',
          { atMost: 1.5 },
          round,
          (cb.cpu.api + cb.cpu.worker) / cb.count,
        );
        add('  api CPU per callback (ms)', undefined, round, cb.cpu.api / cb.count);
        add('  worker CPU per callback (ms)', undefined, round, cb.cpu.worker / cb.count);
        add('PostgreSQL CPU per callback (ms)', { atMost: 1 }, round, cb.cpu.postgres / cb.count);
        add('  Redis CPU per callback (ms)', undefined, round, cb.cpu.redis / cb.count);
        const sum = (rows: { calls: number }[]) => rows.reduce((t, r) => t + r.calls, 0);
        const [outbox, rest] = partition(cb.drainStatements, (q) => OUTSIDE_APPLY.test(q));
        const apply = rest.filter((s) => !/^(begin|commit|rollback)/i.test(s.query.trim()));
        add('statements in the transaction applying a callback', { atMost: 4 }, round, sum(apply));
        add(
          '  other worker statements per callback (webhook outbox)',
          undefined,
          round,
          sum(outbox),
        );
        add(
          '  PostgreSQL round trips per applied callback',
          undefined,
          round,
          sum(cb.drainStatements),
        );
        add('  PostgreSQL statements per ingested callback', undefined, round, cb.ingestStatements);
        add('  Redis commands per ingested callback', undefined, round, cb.ingestRedisCommands);
        add('  Redis commands per applied callback', undefined, round, cb.drainRedisCommands);
        if (round === ROUNDS - 1) {
          out('statements per applied callback (last round):');
          topStatements(cb.drainStatements).forEach(out);
        }
      }
      if (SCENARIOS.has('burst')) {
        const b = await burst(stack, shops, SIZES.burst, `b${round}`);
        add(
          `${SIZES.burst} at full speed: last ack -> all applied (s)`,
          { atMost: 5 },
          round,
          b.appliedAfterLastAckSeconds,
        );
        add(`  ${SIZES.burst} at full speed: acknowledged in (s)`, undefined, round, b.ackSeconds);
      }
      if (SCENARIOS.has('realtime')) {
        const rt = await realtime(stack, shops, terminals, 100, SIZES.realtimeSeconds, `r${round}`);
        if (rt.delivered !== rt.expected || rt.duplicates) {
          throw new Error(
            `realtime: ${rt.delivered}/${rt.expected} delivered, ${rt.duplicates} duplicates`,
          );
        }
        add(
          'callback -> payment.updated at terminal, p99 (ms; 100/s, 500 terminals)',
          { atMost: 100 },
          round,
          rt.p99,
        );
        add('  callback -> payment.updated at terminal, p50 (ms)', undefined, round, rt.p50);
      }
      if (SCENARIOS.has('initiate')) {
        const init = await initiate(
          stack,
          shops.slice(0, 8),
          SIZES.initiations,
          16,
          round * 100_000,
        );
        if (round === ROUNDS - 1) {
          out('statements per initiation (last round):');
          topStatements(init.statementList).forEach(out);
          out(`Redis commands per initiation: ${JSON.stringify(init.redisByCommand)}`);
        }
        add('initiation overhead p99 (ms; c16, 8 shops)', { atMost: 15 }, round, init.overheadP99);
        add('  initiation overhead p50 (ms)', undefined, round, init.overheadP50);
        add('initiations per second (c16, 8 shops)', { atLeast: 500 }, round, init.perSecond);
        add('PostgreSQL round trips per initiation', { atMost: 6 }, round, init.statements);
        add('  Redis commands per initiation', undefined, round, init.redisCommands);
        add('  api CPU per initiation (ms)', undefined, round, init.apiCpuMs);
        add('  simulator CPU per push (ms)', undefined, round, init.simCpuMs);
        add('  PostgreSQL CPU per initiation (ms)', undefined, round, init.postgresCpuMs);
      }
    }
    const peak = Math.max(stack.peakRss.api, stack.peakRss.worker, stack.peakRss.sim);
    add('peak RSS of any process (MiB)', { atMost: 250 }, 0, peak);
    add(`  api / worker / simulator peak RSS (MiB)`, undefined, 0, NaN);
    figures.at(-1)!.text =
      `${stack.peakRss.api.toFixed(0)} / ${stack.peakRss.worker.toFixed(0)} / ${stack.peakRss.sim.toFixed(0)}`;
  } finally {
    terminals?.close();
    await stack.stop();
  }
  out('');
  out(`== npm run bench (${FULL ? 'full' : 'quick'}, ${ROUNDS} rounds) ==`);
  printTable(figures, out);
  out(describeMachine('machine before', before));
  out(describeMachine('machine after'));
  out(`took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const met = figures.filter((f) => f.met === true).length;
  const missed = figures.filter((f) => f.met === false).length;
  out(`aims: ${met} met, ${missed} missed`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
