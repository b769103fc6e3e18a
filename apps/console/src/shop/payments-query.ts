import type { PaymentView } from '@malipo/terminal-client';
import { api, tenantHeader, unwrap } from '../shared/api';
import { addDays, startOfDayEat, todayEat } from '../shared/days';

/** The filters a payments link carries in its URL (shareable: "today's failed at till 3"). */
export const FILTERS = [
  'status',
  'from',
  'to',
  'receipt',
  'phone',
  'orderRef',
  'terminalId',
] as const;
export type Filters = Partial<Record<(typeof FILTERS)[number] | 'cursor', string>>;

export function filtersFrom(params: URLSearchParams): Filters {
  const out: Filters = {};
  for (const k of [...FILTERS, 'cursor'] as const) {
    const v = params.get(k);
    if (v) out[k] = v;
  }
  return out;
}

/** Days in the URL (EAT), instants for the api; `to` is inclusive for people. */
function apiQuery(f: Filters) {
  return {
    ...f,
    from: f.from ? startOfDayEat(f.from) : undefined,
    to: f.to ? startOfDayEat(addDays(f.to, 1)) : undefined,
  } as Record<string, string | undefined>;
}

export const listPayments = (f: Filters, tenantId?: string) =>
  unwrap<{ items: PaymentView[]; nextCursor: string | null }>(
    api.GET('/v1/payments', {
      params: { query: { ...apiQuery(f), limit: 25 } as never },
      headers: tenantHeader(tenantId),
    }),
  );

export const paymentTotals = (f: Filters, tenantId?: string) => {
  const { cursor: _cursor, ...rest } = f;
  return unwrap<{
    items: { status: string; count: number; amount: number }[];
    failures: { code: string; message: string; count: number }[];
  }>(
    api.GET('/v1/payments/totals', {
      params: { query: apiQuery(rest) as never },
      headers: tenantHeader(tenantId),
    }),
  );
};

export const listTerminals = (tenantId?: string) =>
  unwrap<{ id: string; name: string; code: string }[]>(
    api.GET('/v1/terminals', { headers: tenantHeader(tenantId) }),
  );

/** The CSV of the same filters the export understands (days, status, till); a month by default. */
export function exportHref(f: Filters): string {
  const to = f.to ?? todayEat();
  const q = new URLSearchParams({ from: f.from ?? addDays(to, -30), to });
  if (f.status) q.set('status', f.status);
  if (f.terminalId) q.set('terminalId', f.terminalId);
  return `/v1/payments/export.csv?${q.toString()}`;
}
