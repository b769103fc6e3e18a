import { useState, type FormEvent } from 'react';

const EMPTY = {
  name: '',
  kind: 'paybill' as 'paybill' | 'till',
  shortcode: '',
  partyB: '',
  environment: 'sandbox' as 'sandbox' | 'production' | 'simulator',
  passkey: '',
  consumerKey: '',
  consumerSecret: '',
  confirmWithQuery: false,
};
const FIELDS = [
  ['name', 'Channel name', 'text'],
  ['shortcode', 'Paybill or store number', 'text'],
  ['partyB', 'Till number (till only)', 'text'],
  ['passkey', 'Passkey', 'password'],
  ['consumerKey', 'Consumer key', 'password'],
  ['consumerSecret', 'Consumer secret', 'password'],
] as const;

export type NewChannel = Omit<typeof EMPTY, 'partyB'> & { partyB?: string };

/** A paybill or till with its credentials; they are sealed by the api and never shown again. */
export function ChannelForm(props: {
  busy: boolean;
  onAdd: (body: NewChannel) => Promise<unknown>;
}) {
  const [form, setForm] = useState(EMPTY);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // Cleared once the api has the channel; kept for correction when it refused it.
    props.onAdd({ ...form, partyB: form.kind === 'till' ? form.partyB : undefined }).then(
      () => setForm(EMPTY),
      () => undefined,
    );
  };
  return (
    <form onSubmit={submit} className="filters" aria-label="Add a channel">
      <div>
        <label htmlFor="c-kind">Kind</label>
        <select
          id="c-kind"
          value={form.kind}
          onChange={(e) => setForm({ ...form, kind: e.target.value as 'paybill' | 'till' })}
        >
          <option value="paybill">Paybill</option>
          <option value="till">Till (Buy Goods)</option>
        </select>
      </div>
      <div>
        <label htmlFor="c-env">Environment</label>
        <select
          id="c-env"
          value={form.environment}
          onChange={(e) =>
            setForm({ ...form, environment: e.target.value as typeof form.environment })
          }
        >
          <option value="sandbox">Sandbox</option>
          <option value="production">Production</option>
          <option value="simulator">Simulator</option>
        </select>
      </div>
      {FIELDS.map(([k, label, type]) => (
        <div key={k}>
          <label htmlFor={`c-${k}`}>{label}</label>
          <input
            id={`c-${k}`}
            type={type}
            autoComplete="off"
            value={form[k]}
            onChange={(e) => setForm({ ...form, [k]: e.target.value })}
          />
        </div>
      ))}
      <div>
        <label htmlFor="c-confirm">
          <input
            id="c-confirm"
            type="checkbox"
            checked={form.confirmWithQuery}
            onChange={(e) => setForm({ ...form, confirmWithQuery: e.target.checked })}
          />{' '}
          Confirm successes by STK Query
        </label>
      </div>
      <div>
        <button type="submit" disabled={props.busy}>
          Add channel
        </button>
      </div>
    </form>
  );
}
