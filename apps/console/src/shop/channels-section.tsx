import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, typed } from '../shared/api';
import { useAction } from '../shared/use-action';
import { ErrorNote } from '../shared/choice';

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

/** M-Pesa channels: paybill or till with credentials (sealed, never shown again), test them. */
export function ChannelsSection() {
  const [form, setForm] = useState(EMPTY);
  const [tested, setTested] = useState<string | null>(null);
  const channels = useQuery({
    queryKey: ['channels'],
    queryFn: () => typed(api.GET('/v1/channels')),
  });
  const body = () => ({ ...form, partyB: form.kind === 'till' ? form.partyB : undefined });
  const create = useAction(
    () => typed(api.POST('/v1/channels', { body: body() })),
    ['channels'],
    () => setForm(EMPTY),
  );
  const test = useAction(
    (c: { id: string; name: string }) =>
      typed(api.POST('/v1/channels/{id}/test', { params: { path: { id: c.id } } })).then(
        () => c.name,
      ),
    [],
    (name) => setTested(`${name}: the credentials work.`),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(undefined);
  };
  return (
    <section className="panel" aria-labelledby="channels-title">
      <h2 id="channels-title">Channels</h2>
      <ul>
        {(channels.data ?? []).map((c) => (
          <li key={c.id} className="row">
            {c.name} · {c.kind} {c.shortcode} · {c.environment} · confirm by query:{' '}
            {c.confirmWithQuery ? 'on' : 'off'}
            <button
              type="button"
              aria-label={`Test credentials of ${c.name}`}
              onClick={() => test.mutate(c)}
            >
              Test credentials
            </button>
          </li>
        ))}
      </ul>
      {tested && <p role="status">{tested}</p>}
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
          <button type="submit">Add channel</button>
        </div>
      </form>
      <ErrorNote errors={[create.error, test.error]} />
    </section>
  );
}
