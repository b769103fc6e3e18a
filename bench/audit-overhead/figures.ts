/** A figure of the suite's table compared between builds; `better` says which way is good. */
export interface Compared {
  name: string;
  better: 'higher' | 'lower';
  /** The aim of issue 18 (at most 15 % added) applies to this figure. */
  headline?: boolean;
}

export const COMPARED: Compared[] = [
  { name: 'worker drains a 5000 backlog (applied/s)', better: 'higher', headline: true },
  { name: 'worker CPU per callback (ms)', better: 'lower', headline: true },
  { name: 'PostgreSQL CPU per callback (ms)', better: 'lower', headline: true },
  { name: 'statements in the transaction applying a callback', better: 'lower' },
  { name: 'initiations per second (c16, 8 shops)', better: 'higher', headline: true },
  { name: 'initiation overhead p50 (ms)', better: 'lower' },
  { name: 'initiation overhead p99 (ms; c16, 8 shops)', better: 'lower' },
  { name: 'api CPU per initiation (ms)', better: 'lower', headline: true },
  { name: 'PostgreSQL CPU per initiation (ms)', better: 'lower', headline: true },
  { name: 'PostgreSQL round trips per initiation', better: 'lower' },
];

/** The medians of the suite's printed table (`name | aim | median (min-max) | met`) by name. */
export function parseSuiteTable(stdout: string): Map<string, number> {
  const figures = new Map<string, number>();
  const table = stdout.slice(stdout.lastIndexOf('== npm run bench'));
  for (const line of table.split('\n')) {
    const cells = line.split(' | ');
    if (cells.length < 3) continue;
    const median = Number.parseFloat(cells[2]);
    if (Number.isFinite(median)) figures.set(cells[0].trim(), median);
  }
  return figures;
}

/**
 * What auditing adds, in %: for a cost (ms, statements) with/without - 1; for a rate the time
 * per item, without/with - 1. Positive = auditing costs that much more.
 */
export function overheadPercent(c: Compared, withAudit: number, without: number): number {
  const ratio = c.better === 'lower' ? withAudit / without : without / withAudit;
  return (ratio - 1) * 100;
}

export function median(values: number[]): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}
