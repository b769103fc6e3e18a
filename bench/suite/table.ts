export interface Figure {
  name: string;
  aim: { atLeast: number } | { atMost: number } | undefined;
  unit: string;
  /** One value per round. */
  values: number[];
  /** Printed instead of the statistics (a figure that is not a number per round). */
  text?: string;
  met?: boolean;
}

function stats(values: number[]) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return { median: v[Math.floor((v.length - 1) / 2)], min: v[0], max: v.at(-1) };
}

const num = (x: number | undefined) =>
  x === undefined || !Number.isFinite(x)
    ? '-'
    : Math.abs(x) >= 100
      ? x.toFixed(0)
      : Math.abs(x) >= 10
        ? x.toFixed(1)
        : x.toFixed(2);

function aimText(aim: Figure['aim']): string {
  if (!aim) return '';
  return 'atLeast' in aim ? `>= ${num(aim.atLeast)}` : `<= ${num(aim.atMost)}`;
}

/** One row per figure: aim, median (min–max over the rounds) and whether the median meets it. */
export function printTable(figures: Figure[], out: (line: string) => void): void {
  const width = Math.max(...figures.map((f) => f.name.length));
  out(`${'figure'.padEnd(width)} | ${'aim'.padEnd(9)} | median (min-max)       | met`);
  out(`${'-'.repeat(width)}-+-${'-'.repeat(9)}-+-${'-'.repeat(22)}-+----`);
  for (const f of figures) {
    const s = stats(f.values);
    if (f.aim && s.median !== undefined) {
      f.met = 'atLeast' in f.aim ? s.median >= f.aim.atLeast : s.median <= f.aim.atMost;
    }
    const value = f.text ?? `${num(s.median)} (${num(s.min)}-${num(s.max)})`;
    const met = f.met === undefined ? '' : f.met ? 'yes' : 'NO';
    out(`${f.name.padEnd(width)} | ${aimText(f.aim).padEnd(9)} | ${value.padEnd(22)} | ${met}`);
  }
}
