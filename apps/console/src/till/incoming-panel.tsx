import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, typed } from '../shared/api';
import { ErrorNote } from '../shared/choice';
import { formatMoney, formatTime } from '../shared/format';
import { useAction } from '../shared/use-action';

export const INCOMING_KEY = 'incoming-unmatched';

/**
 * Money paid to the till by hand (C2B) that matched no order. The list is re-read when the socket
 * says new money came (a hint) and on every reconnect; a cashier puts it on an order here.
 */
export function IncomingPanel() {
  const list = useQuery({
    queryKey: [INCOMING_KEY],
    queryFn: () =>
      typed(api.GET('/v1/incoming-payments', { params: { query: { status: 'unmatched' } } })),
  });
  const rows = list.data ?? [];
  if (!rows.length) return null;
  return (
    <section aria-labelledby="incoming-title" className="panel no-print">
      <h2 id="incoming-title">Paid without a prompt</h2>
      <ul className="plain" aria-label="Unmatched payments">
        {rows.map((r) => (
          <IncomingRow
            key={r.id}
            id={r.id}
            receipt={r.receipt}
            amount={r.amount}
            billRef={r.billRef}
            at={r.transactedAt}
          />
        ))}
      </ul>
    </section>
  );
}

function IncomingRow(p: {
  id: string;
  receipt: string;
  amount: number;
  billRef: string;
  at: string;
}) {
  const [orderRef, setOrderRef] = useState(p.billRef);
  const attach = useAction(
    () =>
      typed(
        api.POST('/v1/incoming-payments/{id}/attach', {
          params: { path: { id: p.id } },
          body: { orderRef },
        }),
      ),
    [INCOMING_KEY],
  );
  const field = `attach-${p.id}`;
  return (
    <li>
      <p>
        <strong>{formatMoney(p.amount)}</strong> · {p.receipt} · account “{p.billRef}” ·{' '}
        {formatTime(p.at)}
      </p>
      <label htmlFor={field}>Order for {p.receipt}</label>{' '}
      <input id={field} value={orderRef} onChange={(e) => setOrderRef(e.target.value)} />{' '}
      <button
        type="button"
        disabled={!orderRef || attach.isPending}
        onClick={() => attach.mutate(undefined)}
      >
        Put on order
      </button>
      <ErrorNote errors={[attach.error]} />
    </li>
  );
}
