import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../support/bench-env';

/**
 * main just before the audit log was merged (first parent of the i18 merge): the same code as
 * now, accounts and migration 0008's schema included, minus everything that writes audit rows.
 */
export const BASELINE_COMMIT = process.env.BENCH_BASELINE_COMMIT ?? 'a7ee1d1';

const git = (...args: string[]) =>
  execFileSync('git', ['-C', ROOT, ...args], { encoding: 'utf8' }).trim();

/**
 * A compiled copy of BASELINE_COMMIT outside the repository (git archive, not a worktree: the
 * repository's worktree list stays as it was), built once and reused: node_modules is this
 * checkout's (the dependencies are the same), the console is not built (no figure needs it).
 */
export function prepareBaseline(log: (line: string) => void): string {
  const sha = git('rev-parse', '--short=12', `${BASELINE_COMMIT}^{commit}`);
  const dir = process.env.BENCH_BASELINE_DIR ?? path.join(os.tmpdir(), `malipo-bench-${sha}`);
  if (existsSync(path.join(dir, 'dist', 'apps', 'api', 'src', 'main.js'))) return dir;
  log(`building the baseline ${sha} in ${dir} (once)...`);
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', `git -C "${ROOT}" archive ${sha} | tar -x -C "${dir}"`]);
  if (!existsSync(path.join(dir, 'node_modules'))) {
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  }
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], {
    cwd: dir,
    stdio: 'inherit',
  });
  return dir;
}
