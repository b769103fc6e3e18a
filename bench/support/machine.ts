import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on every Linux this runs on). */
const TICKS_PER_SECOND = 100;

export interface MachineState {
  cpus: number;
  load: [number, number, number];
}

export function machineState(): MachineState {
  const [a, b, c] = os.loadavg();
  return { cpus: os.cpus().length, load: [a, b, c] };
}

export function describeMachine(label: string, m: MachineState = machineState()): string {
  return `${label}: ${m.cpus} CPUs, load average ${m.load.map((l) => l.toFixed(2)).join(' / ')} (1/5/15 min)`;
}

/**
 * A figure taken on a machine already busier than its CPU count measures the neighbours, not
 * Malipo. Refuse loudly unless BENCH_ALLOW_LOAD=1 says the reader knows.
 */
export function assertQuiet(m: MachineState = machineState()): void {
  if (m.load[0] <= m.cpus) return;
  const message = `machine too loaded to measure: 1-min load ${m.load[0].toFixed(2)} > ${m.cpus} CPUs`;
  if (process.env.BENCH_ALLOW_LOAD === '1') {
    process.stdout.write(`WARNING: ${message} (BENCH_ALLOW_LOAD=1: figures are not trustworthy)\n`);
    return;
  }
  throw new Error(`${message}; wait for a quieter moment or set BENCH_ALLOW_LOAD=1`);
}

interface ProcTimes {
  ppid: number;
  /** utime + stime, the process's own CPU. */
  own: number;
  /** cutime + cstime, CPU of children it has waited for (exited backends of a postmaster). */
  children: number;
}

function procTimes(pid: number): ProcTimes | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name may contain spaces: fields are counted after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const n = (i: number) => Number(fields[i - 3]);
  return { ppid: n(4), own: n(14) + n(15), children: n(16) + n(17) };
}

/** CPU milliseconds one process has used so far (its own threads, not its children). */
export function processCpuMs(pid: number | undefined): number {
  if (!pid) return NaN;
  return ((procTimes(pid)?.own ?? NaN) * 1000) / TICKS_PER_SECOND;
}

/**
 * CPU milliseconds of a whole process tree (a PostgreSQL cluster: the postmaster, its live
 * backends and auxiliaries, and the exited backends it has reaped).
 */
export function treeCpuMs(rootPid: number): number {
  const root = procTimes(rootPid);
  if (!root) return NaN;
  let ticks = root.own + root.children;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const t = procTimes(Number(entry));
    if (t && t.ppid === rootPid) ticks += t.own;
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** Resident set size in MiB (Linux /proc). */
export function rssOf(pid: number | undefined): number {
  if (!pid) return NaN;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024;
  } catch {
    return NaN;
  }
}

/** RSS of a process tree in MiB (the PostgreSQL cluster's shared buffers are counted per process). */
export function treeRssMiB(rootPid: number): number {
  let total = rssOf(rootPid);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const t = procTimes(Number(entry));
    if (t && t.ppid === rootPid) total += rssOf(Number(entry));
  }
  return total;
}
