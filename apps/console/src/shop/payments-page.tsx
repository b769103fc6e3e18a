import type { PaymentView } from '@malipo/terminal-client';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ColumnDef } from '@tanstack/react-table';
import { Link, useSearchParams } from 'react-router';
import { DataTable } from '../shared/data-table';
import { formatMoney, formatTime, maskPhone } from '../shared/format';
import { useLiveSocket } from '../shared/live-socket';
import { statusLabel } from '../shared/status';
import { INCOMING_KEY, IncomingPanel } from '../till/incoming-panel';
import { PaymentFilters } from './payment-filters';
import {
  exportHref,
  filtersFrom,
  listPayments,
  listTerminals,
  paymentTotals,
  type Filters,
} from './payments-query';

/** Payments of one shop: filters in the URL, cursor pages, totals for the filter, live rows. */
export function PaymentsPage(props: { tenantId?: string; basePath?: string }) {
  const [params, setParams] = useSearchParams();
  const filters = filtersFrom(params);
  const client = useQueryClient();
  const key = ['payments', props.tenantId ?? 'own', filters];
  const page = useQuery({ queryKey: key, queryFn: () => listPayments(filters, props.tenantId) });
  const totals = useQuery({
    queryKey: ['payment-totals', props.tenantId ?? 'own', { ...filters, cursor: undefined }],
    queryFn: () => paymentTotals(filters, props.tenantId),
  });
  const terminals = useQuery({
    queryKey: ['terminals', props.tenantId ?? 'own'],
    queryFn: () => listTerminals(props.tenantId),
  });
  const names = new Map((terminals.data ?? []).map((t) => [t.id, t.name]));

  useLiveSocket({
    enabled: !props.tenantId, // operators look read-only, without a socket
    // Events are hints: after every (re)connect the page is read again, so none is missed.
    onConnected: () => {
      void client.invalidateQueries({ queryKey: ['payments'] });
      void client.invalidateQueries({ queryKey: [INCOMING_KEY] });
    },
    // Money paid to the till by hand that matched no order (C2B): the owner can place it too.
    onIncoming: () => void client.invalidateQueries({ queryKey: [INCOMING_KEY] }),
    onPayment: (view) => {
      client.setQueryData<{ items: PaymentView[]; nextCursor: string | null }>(key, (old) =>
        old && old.items.some((p) => p.id === view.id)
          ? { ...old, items: old.items.map((p) => (p.id === view.id ? view : p)) }
          : old,
      );
      void client.invalidateQueries({ queryKey: ['payment-totals'] });
      if (!filters.cursor) void client.invalidateQueries({ queryKey: ['payments'] });
    },
  });

  const apply = (f: Filters) => {
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries(f)) if (v) next.set(k, v);
    setParams(next);
  };
  const base = props.basePath ?? '/shop/payments';
  const columns: ColumnDef<PaymentView, unknown>[] = [
    {
      header: 'Created',
      cell: ({ row }) => (
        <Link to={`${base}/${row.original.id}`}>{formatTime(row.original.createdAt)}</Link>
      ),
    },
    { header: 'Order', accessorKey: 'orderRef' },
    {
      header: 'Amount',
      cell: ({ row }) => formatMoney(row.original.amount, row.original.currency),
    },
    { header: 'Phone', cell: ({ row }) => maskPhone(row.original.phone) },
    { header: 'Status', cell: ({ row }) => statusLabel(row.original.status) },
    { header: 'Receipt', cell: ({ row }) => row.original.receipt ?? '—' },
    { header: 'Terminal', cell: ({ row }) => names.get(row.original.terminalId ?? '') ?? '—' },
    { header: 'Cashier', cell: ({ row }) => row.original.cashier ?? '—' },
  ];
  const all = (totals.data?.items ?? []).reduce(
    (s, t) => ({ count: s.count + t.count, amount: s.amount + t.amount }),
    { count: 0, amount: 0 },
  );

  return (
    <section aria-labelledby="payments-title">
      <h1 id="payments-title">Payments</h1>
      {!props.tenantId && <IncomingPanel />}
      <PaymentFilters
        key={params.toString()}
        value={filters}
        terminals={terminals.data ?? []}
        onApply={apply}
      />
      <section className="panel totals" aria-label="Totals for these filters">
        <span>
          <strong>{all.count}</strong> payments, {formatMoney(all.amount)}
        </span>
        {(totals.data?.items ?? []).map((t) => (
          <span key={t.status}>
            {statusLabel(t.status)}: {t.count} · {formatMoney(t.amount)}
          </span>
        ))}
        {!props.tenantId && (
          <a href={exportHref(filters)} download>
            Export CSV
          </a>
        )}
      </section>
      {page.isError && (
        <p role="alert" className="error">
          Could not load payments.
        </p>
      )}
      <DataTable
        label="Payments"
        rows={page.data?.items ?? []}
        columns={columns}
        rowKey={(p) => p.id}
        empty={page.isPending ? 'Loading…' : 'No payments match these filters.'}
      />
      <div className="row">
        {filters.cursor && (
          <button type="button" onClick={() => apply({ ...filters, cursor: undefined })}>
            First page
          </button>
        )}
        {page.data?.nextCursor && (
          <button
            type="button"
            onClick={() => apply({ ...filters, cursor: page.data?.nextCursor ?? undefined })}
          >
            Next page
          </button>
        )}
      </div>
    </section>
  );
}
