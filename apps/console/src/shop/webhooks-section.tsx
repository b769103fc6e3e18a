import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../shared/api';
import { formatTime } from '../shared/format';
import { ShownOnce } from '../shared/shown-once';
import { useAction } from '../shared/use-action';
import { ErrorNote } from '../shared/choice';

interface Endpoint {
  id: string;
  url: string;
  eventTypes: string[];
  enabled: boolean;
}
interface Delivery {
  id: string;
  eventType: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  createdAt: string;
}
const EVENTS = [
  'payment.succeeded',
  'payment.failed',
  'payment.cancelled',
  'payment.expired',
] as const;

/** Signed webhooks: endpoints, secret shown once, rotation, the delivery log and redelivery. */
export function WebhooksSection() {
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const endpoints = useQuery({
    queryKey: ['webhooks'],
    queryFn: () => unwrap<Endpoint[] | { items: Endpoint[] }>(api.GET('/v1/webhooks')),
  });
  const list = Array.isArray(endpoints.data) ? endpoints.data : (endpoints.data?.items ?? []);
  const create = useAction(
    () =>
      unwrap<{ secret: string }>(
        api.POST('/v1/webhooks', { body: { url, eventTypes: [...EVENTS] } }),
      ),
    ['webhooks'],
    (r) => {
      setSecret(r.secret);
      setUrl('');
    },
  );
  const rotate = useAction(
    (id: string) =>
      unwrap<{ secret: string }>(
        api.POST('/v1/webhooks/{id}/rotate-secret', { params: { path: { id } }, body: {} }),
      ),
    ['webhooks'],
    (r) => setSecret(r.secret),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(undefined);
  };
  return (
    <section className="panel" aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">Webhooks</h2>
      <ShownOnce label="Signing secret" value={secret} onDone={() => setSecret(null)} />
      <ul>
        {list.map((w) => (
          <li key={w.id}>
            <div className="row">
              {w.url} · {w.enabled ? 'on' : 'off'}
              <button
                type="button"
                aria-label={`Rotate secret of ${w.url}`}
                onClick={() => rotate.mutate(w.id)}
              >
                Rotate secret
              </button>
              <button
                type="button"
                aria-expanded={open === w.id}
                onClick={() => setOpen(open === w.id ? null : w.id)}
              >
                Deliveries
              </button>
            </div>
            {open === w.id && <Deliveries endpointId={w.id} />}
          </li>
        ))}
      </ul>
      <form onSubmit={submit} className="row" aria-label="Add a webhook endpoint">
        <label htmlFor="w-url">Endpoint URL</label>
        <input
          id="w-url"
          type="url"
          value={url}
          required
          onChange={(e) => setUrl(e.target.value)}
        />
        <button type="submit">Add endpoint</button>
      </form>
      <ErrorNote errors={[create.error, rotate.error]} />
    </section>
  );
}

function Deliveries({ endpointId }: { endpointId: string }) {
  const log = useQuery({
    queryKey: ['deliveries', endpointId],
    queryFn: () =>
      unwrap<{ items: Delivery[] }>(
        api.GET('/v1/webhooks/{id}/deliveries', {
          params: { path: { id: endpointId }, query: {} },
        }),
      ),
  });
  const again = useAction(
    (id: string) =>
      unwrap(api.POST('/v1/webhooks/deliveries/{id}/redeliver', { params: { path: { id } } })),
    ['deliveries'],
  );
  return (
    <ul aria-label="Delivery log">
      {(log.data?.items ?? []).map((d) => (
        <li key={d.id} className="row">
          {d.eventType} · {d.status} · HTTP {d.lastStatusCode ?? '—'} · {formatTime(d.createdAt)}
          <button type="button" onClick={() => again.mutate(d.id)}>
            Redeliver
          </button>
        </li>
      ))}
      {log.data?.items.length === 0 && <li>No deliveries yet.</li>}
    </ul>
  );
}
