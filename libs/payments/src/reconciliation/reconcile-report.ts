import { isCalendarDay } from '@malipo/common';
import type { PaymentGroup, DiscrepancyRow } from './reconcile-reports.repository';
import { isOpen, type PaymentStatus } from '../domain';

/** A discrepancy as reports and webhooks show it. */
export interface DiscrepancySummary {
  id: string;
  kind: string;
  state: string;
  paymentId: string | null;
  attemptId: string | null;
  createdAt: string;
}

export function discrepancySummary(d: DiscrepancyRow): DiscrepancySummary {
  return {
    id: d.id,
    kind: d.kind,
    state: d.state,
    paymentId: d.paymentId,
    attemptId: d.attemptId,
    createdAt: d.createdAt.toISOString(),
  };
}

export interface Bucket {
  count: number;
  /** Requested amounts, whole KES. */
  amount: number;
}

export interface PaymentsReport {
  tenantId: string;
  /** Inclusive start and exclusive end of the period (payments by creation time). */
  from: string;
  to: string;
  totals: Bucket & { succeeded: Bucket; collected: number };
  byStatus: Record<string, Bucket>;
  byTerminal: (Bucket & { terminalId: string | null; succeeded: Bucket })[];
  byChannel: (Bucket & { channelId: string; succeeded: Bucket })[];
  /** succeeded / payments that ended (open ones excluded); null when none ended. */
  successRate: number | null;
  medianSecondsToOutcome: number | null;
  discrepancies: {
    total: number;
    byKind: Record<string, number>;
    byState: Record<string, number>;
    items: DiscrepancySummary[];
  };
}

const empty = (): Bucket => ({ count: 0, amount: 0 });
const add = (b: Bucket, g: PaymentGroup): void => {
  b.count += g.count;
  b.amount += g.amount;
};

/** Folds grouped rows into the report; every figure is a sum of the same rows, so they agree. */
export function buildReport(input: {
  tenantId: string;
  from: Date;
  to: Date;
  groups: PaymentGroup[];
  medianSecondsToOutcome: number | null;
  discrepancies: DiscrepancyRow[];
}): PaymentsReport {
  const totals = { ...empty(), succeeded: empty(), collected: 0 };
  const byStatus: Record<string, Bucket> = {};
  const terminals = new Map<string, Bucket & { terminalId: string | null; succeeded: Bucket }>();
  const channels = new Map<string, Bucket & { channelId: string; succeeded: Bucket }>();
  let ended = 0;
  for (const g of input.groups) {
    add(totals, g);
    add((byStatus[g.status] ??= empty()), g);
    const t = terminals.get(g.terminalId ?? '') ?? {
      terminalId: g.terminalId,
      ...empty(),
      succeeded: empty(),
    };
    terminals.set(g.terminalId ?? '', t);
    const c = channels.get(g.channelId) ?? {
      channelId: g.channelId,
      ...empty(),
      succeeded: empty(),
    };
    channels.set(g.channelId, c);
    add(t, g);
    add(c, g);
    if (g.status === 'succeeded') {
      add(totals.succeeded, g);
      add(t.succeeded, g);
      add(c.succeeded, g);
      totals.collected += g.paidAmount;
    }
    if (!isOpen(g.status as PaymentStatus)) ended += g.count;
  }
  const byKind: Record<string, number> = {};
  const byState: Record<string, number> = {};
  for (const d of input.discrepancies) {
    byKind[d.kind] = (byKind[d.kind] ?? 0) + 1;
    byState[d.state] = (byState[d.state] ?? 0) + 1;
  }
  return {
    tenantId: input.tenantId,
    from: input.from.toISOString(),
    to: input.to.toISOString(),
    totals,
    byStatus,
    byTerminal: [...terminals.values()].sort((a, b) =>
      String(a.terminalId).localeCompare(String(b.terminalId)),
    ),
    byChannel: [...channels.values()].sort((a, b) => a.channelId.localeCompare(b.channelId)),
    successRate: ended ? Math.round((totals.succeeded.count / ended) * 10_000) / 10_000 : null,
    medianSecondsToOutcome:
      input.medianSecondsToOutcome === null
        ? null
        : Math.round(input.medianSecondsToOutcome * 1000) / 1000,
    discrepancies: {
      total: input.discrepancies.length,
      byKind,
      byState,
      items: input.discrepancies.map(discrepancySummary),
    },
  };
}

/** Kenya keeps EAT (UTC+3) all year: a shop's day is midnight to midnight Nairobi time. */
export function eatDayRange(day: string): { from: Date; to: Date } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  // Date.UTC rolls 2026-13-45 over into 2027; only real days of the calendar are days.
  if (!m || !isCalendarDay(day)) throw new Error(`not a YYYY-MM-DD day: ${day}`);
  const from = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), -3));
  if (Number.isNaN(from.getTime())) throw new Error(`not a day: ${day}`);
  return { from, to: new Date(from.getTime() + 86_400_000) };
}

/** Every day from..to inclusive (YYYY-MM-DD). */
export function daysBetween(fromDay: string, toDay: string): string[] {
  const days: string[] = [];
  const end = eatDayRange(toDay).from.getTime();
  for (let t = eatDayRange(fromDay).from.getTime(); t <= end; t += 86_400_000) {
    days.push(new Date(t + 3 * 3600_000).toISOString().slice(0, 10));
  }
  return days;
}

export const CSV_HEADER = [
  'id',
  'created_at',
  'order_ref',
  'amount',
  'currency',
  'phone',
  'status',
  'receipt',
  'paid_amount',
  'paid_at',
  'terminal_id',
  'channel_id',
  'failure_code',
  'failure_message',
  'finalized_at',
  'cashier',
];

/** RFC 4180 field: quoted when needed; a leading = + - @ is defused for spreadsheets. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
