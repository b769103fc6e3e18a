import { spawn, type ChildProcess } from 'node:child_process';

export interface SupervisedApp {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

export interface SupervisorOptions {
  /** First restart delay; doubles with each crash in a row, up to maxBackoffMs. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** A child that ran this long before crashing starts the back-off over. */
  healthyAfterMs?: number;
  /** How long `stop` waits for the children before it gives up on them. */
  stopTimeoutMs?: number;
  log?: (line: string) => void;
}

/** Restart delay after `crashes` crashes in a row: base, 2×base, 4×base … capped. */
export function restartDelayMs(crashes: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, crashes - 1));
}

/**
 * `npm start`'s process manager: runs each app as a child, restarts one that exits on its own
 * (a crash, an out-of-memory kill) after a logged back-off instead of stopping everything, and on
 * stop sends SIGTERM to all and waits for their graceful stop.
 */
export class Supervisor {
  private readonly children = new Map<string, ChildProcess>();
  private readonly crashes = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopping = false;
  private readonly o: Required<SupervisorOptions>;

  constructor(
    private readonly apps: SupervisedApp[],
    opts: SupervisorOptions = {},
  ) {
    this.o = {
      baseBackoffMs: opts.baseBackoffMs ?? 1_000,
      maxBackoffMs: opts.maxBackoffMs ?? 30_000,
      healthyAfterMs: opts.healthyAfterMs ?? 60_000,
      stopTimeoutMs: opts.stopTimeoutMs ?? 30_000,
      log: opts.log ?? ((line) => process.stderr.write(`${line}\n`)),
    };
  }

  start(): void {
    for (const app of this.apps) this.launch(app);
  }

  /** The running child of an app (for tests and the demo banner). */
  child(name: string): ChildProcess | undefined {
    return this.children.get(name);
  }

  private launch(app: SupervisedApp): void {
    const startedAt = Date.now();
    const child = spawn(app.command, app.args, { env: app.env, stdio: 'inherit' });
    this.children.set(app.name, child);
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      const ranMs = Date.now() - startedAt;
      const crashes = ranMs >= this.o.healthyAfterMs ? 1 : (this.crashes.get(app.name) ?? 0) + 1;
      this.crashes.set(app.name, crashes);
      const delay = restartDelayMs(crashes, this.o.baseBackoffMs, this.o.maxBackoffMs);
      this.o.log(
        `start: ${app.name} exited (${signal ?? code}) after ${Math.round(ranMs / 1000)} s; restarting in ${delay} ms (crash ${crashes} in a row)`,
      );
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!this.stopping) this.launch(app);
      }, delay);
      this.timers.add(timer);
    });
  }

  /** SIGTERM to every child, then wait for all of them (bounded). */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) clearTimeout(timer);
    const running = [...this.children.values()].filter((c) => c.exitCode === null && !c.signalCode);
    for (const child of running) child.kill('SIGTERM');
    const exited = Promise.all(running.map((c) => new Promise((r) => c.once('exit', r))));
    const timeout = new Promise((r) => setTimeout(r, this.o.stopTimeoutMs).unref());
    await Promise.race([exited, timeout]);
  }
}
