/** Days are East Africa Time (UTC+3, no daylight saving), as the api's reports count them. */
const EAT_OFFSET_MS = 3 * 3_600_000;

export function todayEat(now = Date.now()): string {
  return new Date(now + EAT_OFFSET_MS).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Start of a day in EAT as an instant, for the payments list's `from`/`to`. */
export const startOfDayEat = (day: string): string => `${day}T00:00:00+03:00`;

export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to && out.length < 92; d = addDays(d, 1)) out.push(d);
  return out;
}
