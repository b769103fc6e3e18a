import { useState, type FormEvent } from 'react';
import { PAYMENT_STATUSES, statusLabel } from '../shared/status';
import type { Filters } from './payments-query';

const TEXT_FIELDS = [
  ['receipt', 'Receipt'],
  ['phone', 'Phone'],
  ['orderRef', 'Order'],
] as const;

/** The filter form; applying it writes the filters into the URL (and starts at page one). */
export function PaymentFilters(props: {
  value: Filters;
  terminals: { id: string; name: string }[];
  onApply: (f: Filters) => void;
}) {
  const [f, setF] = useState<Filters>(props.value);
  const set = (k: keyof Filters) => (e: { target: { value: string } }) =>
    setF({ ...f, [k]: e.target.value || undefined });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onApply({ ...f, cursor: undefined });
  };
  return (
    <form className="panel filters" onSubmit={submit} aria-label="Filters">
      <div>
        <label htmlFor="f-status">Status</label>
        <select id="f-status" value={f.status ?? ''} onChange={set('status')}>
          <option value="">Any</option>
          {PAYMENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {statusLabel(s)}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="f-from">From</label>
        <input id="f-from" type="date" value={f.from ?? ''} onChange={set('from')} />
      </div>
      <div>
        <label htmlFor="f-to">To</label>
        <input id="f-to" type="date" value={f.to ?? ''} onChange={set('to')} />
      </div>
      {TEXT_FIELDS.map(([k, label]) => (
        <div key={k}>
          <label htmlFor={`f-${k}`}>{label}</label>
          <input id={`f-${k}`} value={f[k] ?? ''} onChange={set(k)} />
        </div>
      ))}
      <div>
        <label htmlFor="f-terminal">Terminal</label>
        <select id="f-terminal" value={f.terminalId ?? ''} onChange={set('terminalId')}>
          <option value="">Any</option>
          {props.terminals.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </div>
      <div className="row">
        <button type="submit" className="primary">
          Apply filters
        </button>
        <button type="button" onClick={() => props.onApply({})}>
          Clear
        </button>
      </div>
    </form>
  );
}
