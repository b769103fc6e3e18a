import type { PaymentView } from '@malipo/terminal-client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, tenantHeader, unwrap } from '../shared/api';
import { formatMoney, formatTime, maskPhone } from '../shared/format';
import { statusLabel } from '../shared/status';
import { DataTable, cols } from '../shared/data-table';

interface Event {
  seq: number;
  type: string;
  from: string | null;
  to: string;
  at: string;
}
interface Attempt {
  number: number;
  state: string;
  resultCode: string | null;
  resultDesc: string | null;
  receipt: string | null;
  queryCount: number;
  createdAt: string;
}

/** One payment: its facts, the timeline of every state change, and every prompt sent. */
export function PaymentDetailPage(props: { tenantId?: string; basePath?: string }) {
  const { id = '' } = useParams();
  const opts = { params: { path: { id } }, headers: tenantHeader(props.tenantId) };
  const payment = useQuery({
    queryKey: ['payment', id],
    queryFn: () => unwrap<PaymentView>(api.GET('/v1/payments/{id}', opts)),
  });
  const events = useQuery({
    queryKey: ['payment-events', id],
    queryFn: () => unwrap<{ items: Event[] }>(api.GET('/v1/payments/{id}/events', opts)),
  });
  const attempts = useQuery({
    queryKey: ['payment-attempts', id],
    queryFn: () => unwrap<{ items: Attempt[] }>(api.GET('/v1/payments/{id}/attempts', opts)),
  });
  const p = payment.data;
  if (payment.isError) return <p role="alert">This payment does not exist or is not yours.</p>;
  if (!p) return <p>Loading…</p>;
  return (
    <section aria-labelledby="payment-title">
      <p>
        <Link to={props.basePath ?? '/shop/payments'}>← Payments</Link>
      </p>
      <h1 id="payment-title">Payment for order {p.orderRef}</h1>
      <dl className="panel facts-list">
        <dt>Status</dt>
        <dd>{statusLabel(p.status)}</dd>
        <dt>Amount</dt>
        <dd>{formatMoney(p.amount, p.currency)}</dd>
        <dt>Phone</dt>
        <dd>
          <PhoneReveal phone={p.phone} />
        </dd>
        <dt>Receipt</dt>
        <dd>{p.receipt ?? '—'}</dd>
        <dt>Cashier</dt>
        <dd>{p.cashier ?? '—'}</dd>
        <dt>Failure</dt>
        <dd>{p.failure ? `${p.failure.code}: ${p.failure.message}` : '—'}</dd>
        <dt>Created</dt>
        <dd>{formatTime(p.createdAt)}</dd>
      </dl>
      <h2 id="timeline">Timeline</h2>
      <ol className="panel timeline" aria-labelledby="timeline">
        {(events.data?.items ?? []).map((e) => (
          <li key={e.seq}>
            <strong>{statusLabel(e.to)}</strong> ({e.type.replace(/_/g, ' ')}) — {formatTime(e.at)}
          </li>
        ))}
      </ol>
      <h2 id="attempts">Prompts sent</h2>
      <DataTable
        label="Prompts sent"
        rows={attempts.data?.items ?? []}
        rowKey={(a) => String(a.number)}
        columns={cols<Attempt>([
          ['#', (a) => a.number],
          ['State', (a) => a.state],
          ['Result', (a) => (a.resultCode ? `${a.resultCode} ${a.resultDesc ?? ''}` : '—')],
          ['Receipt', (a) => a.receipt ?? '—'],
          ['Queries', (a) => a.queryCount],
          ['Sent', (a) => formatTime(a.createdAt)],
        ])}
      />
    </section>
  );
}

/** The customer's number stays masked on screen until the owner asks for it. */
function PhoneReveal({ phone }: { phone: string }) {
  const [shown, setShown] = useState(false);
  return (
    <>
      {shown ? phone : maskPhone(phone)}{' '}
      {!shown && /^\d{12}$/.test(phone) && (
        <button type="button" className="link" onClick={() => setShown(true)}>
          Show number
        </button>
      )}
    </>
  );
}
