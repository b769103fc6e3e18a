import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * No Docker engine runs on the machines this project is built on, so the image cannot be built in
 * `npm test`; this checks statically what makes the image safe to run (docs/deploy.md).
 */
const ROOT = path.resolve(__dirname, '..', '..');

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  name: string;
  from: string;
  steps: Instruction[];
}

function instructions(text: string): Instruction[] {
  const joined = text.replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [op, ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

function stages(list: Instruction[]): Stage[] {
  const out: Stage[] = [];
  for (const step of list) {
    if (step.op === 'FROM') {
      const [from, , name] = step.args.split(/\s+/);
      out.push({ name: name ?? String(out.length), from, steps: [] });
    } else out.at(-1)?.steps.push(step);
  }
  return out;
}

/** An exec-form argument list (JSON array), or undefined for shell form. */
function execForm(args: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) ? (parsed as string[]) : undefined;
  } catch {
    return undefined;
  }
}

describe('Dockerfile', () => {
  const all = stages(instructions(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')));
  const runtime = all.at(-1)!;
  const last = (op: string) => runtime.steps.filter((s) => s.op === op).at(-1);

  it('builds in its own stage with dev dependencies and runs from a later one', () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    const build = all.find((s) => s.name === 'build')!;
    const runs = build.steps.filter((s) => s.op === 'RUN').map((s) => s.args);
    expect(runs.some((r) => /npm ci(?!.*--omit=dev)/.test(r))).toBe(true);
    expect(runs.some((r) => /tsc -p tsconfig\.image\.json/.test(r))).toBe(true);
    expect(runtime.name).not.toBe('build');
  });

  it('ships production dependencies and built files only, never the source tree', () => {
    const copies = runtime.steps.filter((s) => s.op === 'COPY').map((s) => s.args);
    expect(copies.some((c) => /^\.\s+\./.test(c.replace(/--\S+\s+/g, '')))).toBe(false);
    const depsStage = copies.find((c) => /node_modules/.test(c))?.match(/--from=(\S+)/)?.[1];
    const deps = all.find((s) => s.name === depsStage)!;
    expect(deps.steps.some((s) => s.op === 'RUN' && /npm ci --omit=dev/.test(s.args))).toBe(true);
    expect(copies.some((c) => /--from=build\b.*\/app\/dist/.test(c))).toBe(true);
    // Whatever is copied from the context must exist (and survive .dockerignore).
    for (const c of copies.filter((x) => !x.includes('--from='))) {
      const sources = c
        .split(/\s+/)
        .filter((w) => !w.startsWith('--'))
        .slice(0, -1);
      for (const source of sources) expect(existsSync(path.join(ROOT, source))).toBe(true);
    }
  });

  it('runs as an unprivileged user', () => {
    const user = last('USER')?.args;
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
  });

  it('starts node directly in exec form under an init process', () => {
    const entrypoint = execForm(last('ENTRYPOINT')!.args)!;
    const cmd = execForm(last('CMD')!.args)!;
    expect(entrypoint).toBeDefined();
    expect(entrypoint[0]).toMatch(/\/(tini|dumb-init)$/);
    expect(cmd?.[0]).toBe('node');
    expect(cmd).toContain('dist/apps/api/src/main.js');
    // The init binary is installed in the runtime stage itself.
    const binary = path.basename(entrypoint[0]);
    const runs = runtime.steps.filter((s) => s.op === 'RUN').map((s) => s.args);
    expect(runs.some((r) => r.includes(`install`) && r.includes(binary))).toBe(true);
  });

  it('has a health check in exec form on a script the image contains', () => {
    const check = last('HEALTHCHECK')!.args;
    const command = execForm(check.slice(check.indexOf('CMD') + 3).trim());
    expect(command).toEqual(['node', 'scripts/healthcheck.js']);
    expect(existsSync(path.join(ROOT, 'scripts', 'healthcheck.js'))).toBe(true);
  });

  it('keeps production defaults: no migration on start', () => {
    expect(last('ENV')?.args).toMatch(/MIGRATE_ON_START=false/);
    expect(last('ENV')?.args).toMatch(/NODE_ENV=production/);
  });
});

describe('.dockerignore', () => {
  const ignored = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  it('keeps tests, benches, docs, dependencies and git history out of the context', () => {
    expect(ignored).toEqual(
      expect.arrayContaining(['test', 'bench', 'docs', 'node_modules', 'dist', '.git']),
    );
  });
});
