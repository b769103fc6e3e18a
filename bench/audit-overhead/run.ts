/**
 * `npm run bench:audit`: what the audit log adds to the callback-apply and initiation
 * benchmarks (issue 18: at most 15 %). Runs the suite's callbacks and initiate scenarios
 * (BENCH_SCENARIOS, one round each) against this build ("with") and a build of main from before
 * auditing ("without", see baseline.ts), interleaved with, without, without, with… for
 * BENCH_PAIRS pairs (default 4), each run on its own private PostgreSQL and Redis. Prints every
 * run with the machine's load beside it, then both medians side by side and the overhead.
 * Auditing cannot be switched off in Malipo itself: the only switch is which build the bench runs.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../support/bench-env';
import { describeMachine } from '../support/machine';
import { prepareBaseline, BASELINE_COMMIT } from './baseline';
import { COMPARED, median, overheadPercent, parseSuiteTable } from './figures';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 4);
const AIM_PERCENT = 15;
const out = (line: string) => process.stdout.write(`${line}\n`);
type Variant = 'with' | 'without';

/** One suite run (callbacks + initiate, one round) of the apps built in `appRoot`. */
function runSuite(appRoot: string): Promise<Map<string, number>> {
  const suite = path.join(ROOT, 'dist', 'bench', 'suite', 'run.js');
  const child = spawn(
    process.execPath,
    ['-r', path.join(ROOT, 'scripts', 'register-paths.js'), suite],
    {
      env: {
        ...process.env,
        BENCH_SCENARIOS: 'callbacks,initiate',
        BENCH_ROUNDS: '1',
        BENCH_APP_ROOT: appRoot,
        // The load is printed beside every run instead: on a shared machine it rarely drops.
        BENCH_ALLOW_LOAD: '1',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0
        ? resolve(parseSuiteTable(stdout))
        : reject(new Error(`suite run failed (exit ${code}):\n${stdout.slice(-2000)}`)),
    ),
  );
}

const fmt = (x: number) =>
  !Number.isFinite(x) ? '-' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);

function printComparison(runs: Record<Variant, Map<string, number>[]>): boolean {
  const width = Math.max(...COMPARED.map((c) => c.name.length));
  out(`${'figure'.padEnd(width)} | with audit | without | overhead | aim`);
  out(`${'-'.repeat(width)}-+------------+---------+----------+-----`);
  let met = true;
  for (const c of COMPARED) {
    const withAudit = median(runs.with.map((r) => r.get(c.name) ?? NaN));
    const without = median(runs.without.map((r) => r.get(c.name) ?? NaN));
    const overhead = overheadPercent(c, withAudit, without);
    const ok = overhead <= AIM_PERCENT;
    if (c.headline && !ok) met = false;
    const verdict = c.headline ? (ok ? `<= ${AIM_PERCENT} % yes` : `<= ${AIM_PERCENT} % NO`) : '';
    const sign = overhead >= 0 ? '+' : '';
    out(
      `${c.name.padEnd(width)} | ${fmt(withAudit).padStart(10)} | ${fmt(without).padStart(7)} | ${`${sign}${overhead.toFixed(1)} %`.padStart(8)} | ${verdict}`,
    );
  }
  return met;
}

async function main(): Promise<void> {
  const baseline = prepareBaseline(out);
  const roots: Record<Variant, string> = { with: ROOT, without: baseline };
  const runs: Record<Variant, Map<string, number>[]> = { with: [], without: [] };
  out(`with = this build, without = ${BASELINE_COMMIT} (${baseline}); ${PAIRS} pairs`);
  for (let pair = 0; pair < PAIRS; pair++) {
    // ABBA: with, without, without, with… A machine getting busier or quieter during the run
    // favours neither build (with the plain ABAB order the first build ran at the higher load).
    const order: Variant[] = pair % 2 === 0 ? ['with', 'without'] : ['without', 'with'];
    for (const variant of order) {
      const load = describeMachine('load before');
      const figures = await runSuite(roots[variant]);
      runs[variant].push(figures);
      const brief = COMPARED.filter((c) => c.headline)
        .map((c) => `${c.name.split(' (')[0]} ${fmt(figures.get(c.name) ?? NaN)}`)
        .join(', ');
      out(`pair ${pair + 1} ${variant.padEnd(7)} | ${load} | ${brief}`);
    }
  }
  out('');
  out(`== npm run bench:audit (${PAIRS} pairs, medians) ==`);
  const met = printComparison(runs);
  out(describeMachine('machine after'));
  out(
    `audit overhead aim (<= ${AIM_PERCENT} % on every headline figure): ${met ? 'met' : 'missed'}`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench:audit failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
