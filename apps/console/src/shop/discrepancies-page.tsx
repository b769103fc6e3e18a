import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../shared/api';
import { Choice, ErrorNote } from '../shared/choice';
import { formatTime } from '../shared/format';

interface Discrepancy {
  id: string;
  tenantId: string;
  kind: string;
  state: string;
  paymentId: string | null;
  createdAt: string;
  note: string | null;
}

const STATES = ['open', 'acknowledged', 'resolved'] as const;
const human = (s: string) => s.replace(/_/g, ' ');

/** Where we and Safaricom disagree: acknowledge, then resolve with a note. Ops see every shop. */
export function DiscrepanciesPage(props: { paymentsPath?: string; showShop?: boolean }) {
  const [params, setParams] = useSearchParams();
  const state = params.get('state') ?? 'open';
  const client = useQueryClient();
  const list = useQuery({
    queryKey: ['discrepancies', state],
    queryFn: () =>
      unwrap<{ items: Discrepancy[] }>(
        api.GET('/v1/discrepancies', {
          params: { query: { state: state as (typeof STATES)[number] } },
        }),
      ),
  });
  const act = useMutation({
    mutationFn: ({
      id,
      action,
      note,
    }: {
      id: string;
      action: 'acknowledge' | 'resolve';
      note: string;
    }) =>
      action === 'resolve'
        ? unwrap(
            api.POST('/v1/discrepancies/{id}/resolve', {
              params: { path: { id } },
              body: { note },
            }),
          )
        : unwrap(
            api.POST('/v1/discrepancies/{id}/acknowledge', {
              params: { path: { id } },
              body: note ? { note } : {},
            }),
          ),
    onSuccess: () => client.invalidateQueries({ queryKey: ['discrepancies'] }),
  });
  return (
    <section aria-labelledby="disc-title">
      <h1 id="disc-title">Discrepancies</h1>
      <Choice
        id="d-state"
        label="Show"
        value={state}
        options={STATES}
        onChange={(v) => setParams({ state: v })}
      />
      <ErrorNote errors={[act.error]} />
      <ul className="plain" aria-label="Discrepancies">
        {(list.data?.items ?? []).map((d) => (
          <DiscrepancyItem
            key={d.id}
            d={d}
            busy={act.isPending}
            paymentsPath={props.paymentsPath ?? '/shop/payments'}
            showShop={props.showShop}
            onAct={(action, note) => act.mutate({ id: d.id, action, note })}
          />
        ))}
        {list.data?.items.length === 0 && <li>No {state} discrepancies.</li>}
      </ul>
    </section>
  );
}

function DiscrepancyItem(props: {
  d: Discrepancy;
  busy: boolean;
  paymentsPath: string;
  showShop?: boolean;
  onAct: (action: 'acknowledge' | 'resolve', note: string) => void;
}) {
  const { d } = props;
  const [note, setNote] = useState('');
  const noteId = `note-${d.id}`;
  return (
    <li className="panel" aria-label={`${human(d.kind)} ${d.id.slice(0, 8)}`}>
      <p>
        <strong>{human(d.kind)}</strong> · {d.state} · {formatTime(d.createdAt)}
        {props.showShop && ` · shop ${d.tenantId.slice(0, 8)}`}
        {d.paymentId && !props.showShop && (
          <>
            {' '}
            · <Link to={`${props.paymentsPath}/${d.paymentId}`}>payment</Link>
          </>
        )}
      </p>
      {d.note && <p>Note: {d.note}</p>}
      {d.state !== 'resolved' && (
        <div className="row">
          <label htmlFor={noteId} className="visually-hidden">
            Note
          </label>
          <input
            id={noteId}
            placeholder="Note"
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
          {d.state === 'open' && (
            <button
              type="button"
              disabled={props.busy}
              onClick={() => props.onAct('acknowledge', note)}
            >
              Acknowledge
            </button>
          )}
          <button
            type="button"
            disabled={props.busy || !note.trim()}
            onClick={() => props.onAct('resolve', note)}
          >
            Resolve
          </button>
        </div>
      )}
    </li>
  );
}
