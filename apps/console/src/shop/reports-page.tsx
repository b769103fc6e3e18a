import { useQueries, useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { api, tenantHeader, unwrap } from '../shared/api';
import { Field } from '../shared/choice';
import { addDays, daysBetween, todayEat } from '../shared/days';
import { formatMoney } from '../shared/format';
import { statusLabel } from '../shared/status';
import { paymentTotals } from './payments-query';
import { DataTable, cols } from '../shared/data-table';

const ReportChart = lazy(() => import('./report-chart'));

interface Bucket {
  count: number;
  amount: number;
}
interface Report {
  totals: Bucket & { succeeded: Bucket; collected: number };
  byStatus: Record<string, Bucket>;
  successRate: number | null;
  discrepancies: { total: number; byKind: Record<string, number> };
}

const range = (from: string, to: string, tenantId?: string) =>
  unwrap<Report>(
    api.GET('/v1/reports/range', {
      params: { query: { from, to } },
      headers: tenantHeader(tenantId),
    }),
  );

/** Totals by status, success rate, discrepancies and a daily chart for a range of days (EAT). */
export function ReportsPage(props: { tenantId?: string }) {
  const [params, setParams] = useSearchParams();
  const to = params.get('to') ?? todayEat();
  const from = params.get('from') ?? addDays(to, -6);
  const report = useQuery({
    queryKey: ['report', from, to, props.tenantId],
    queryFn: () => range(from, to, props.tenantId),
  });
  const days = useMemo(() => daysBetween(from, to), [from, to]);
  const reasons = useQuery({
    queryKey: ['failure-reasons', from, to, props.tenantId],
    queryFn: () => paymentTotals({ from, to }, props.tenantId),
  });
  const perDay = useQueries({
    queries: days.map((d) => ({
      queryKey: ['report', d, d, props.tenantId],
      queryFn: () => range(d, d, props.tenantId),
    })),
  });
  const ready = perDay.every((q) => q.data);
  const series = {
    amounts: perDay.map((q) => q.data?.totals.amount ?? 0),
    counts: perDay.map((q) => q.data?.totals.count ?? 0),
  };
  const r = report.data;
  const set = (k: string) => (value: string) => {
    const next = new URLSearchParams(params);
    next.set(k, value);
    setParams(next);
  };
  return (
    <section aria-labelledby="reports-title">
      <h1 id="reports-title">Reports</h1>
      <div className="panel filters">
        <Field id="r-from" label="From" type="date" value={from} onChange={set('from')} />
        <Field id="r-to" label="To" type="date" value={to} onChange={set('to')} />
        <div>
          <a href={`/v1/payments/export.csv?from=${from}&to=${to}`} download>
            Export CSV
          </a>
        </div>
      </div>
      {report.isError && (
        <p role="alert" className="error">
          Could not load the report.
        </p>
      )}
      {r && (
        <div className="panel">
          <p>
            <strong>{r.totals.count}</strong> payments asked {formatMoney(r.totals.amount)};
            collected <strong>{formatMoney(r.totals.collected)}</strong>. Success rate:{' '}
            {r.successRate === null ? '—' : `${Math.round(r.successRate * 100)} %`}.
          </p>
          <DataTable
            label="By status"
            rows={Object.entries(r.byStatus)}
            rowKey={([s]) => s}
            columns={cols<[string, Bucket]>([
              ['Status', ([s]) => statusLabel(s)],
              ['Payments', ([, b]) => b.count],
              ['Amount', ([, b]) => formatMoney(b.amount)],
            ])}
          />
          <p>
            Discrepancies: {r.discrepancies.total}{' '}
            {Object.entries(r.discrepancies.byKind).map(
              ([k, n]) => `· ${k.replace(/_/g, ' ')} ${n} `,
            )}
          </p>
          <DataTable
            label="Failure reasons"
            rows={reasons.data?.failures ?? []}
            rowKey={(f) => f.code}
            empty="No failed payments."
            columns={cols<{ code: string; message: string; count: number }>([
              ['Reason', (f) => `${f.code}: ${f.message}`],
              ['Payments', (f) => f.count],
            ])}
          />
        </div>
      )}
      {ready && (
        <Suspense fallback={<p>Loading chart…</p>}>
          <ReportChart days={days} amounts={series.amounts} counts={series.counts} />
        </Suspense>
      )}
    </section>
  );
}
