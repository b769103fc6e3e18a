import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, typed } from '../shared/api';
import { ErrorNote } from '../shared/choice';
import { useAction } from '../shared/use-action';
import { ChannelForm, type NewChannel } from './channel-form';

/** M-Pesa channels: add one, test its credentials, turn confirm-by-STK-Query on or off. */
export function ChannelsSection() {
  const [tested, setTested] = useState<string | null>(null);
  const client = useQueryClient();
  const channels = useQuery({
    queryKey: ['channels'],
    queryFn: () => typed(api.GET('/v1/channels')),
  });
  const create = useAction(
    (body: NewChannel) => typed(api.POST('/v1/channels', { body })),
    ['channels'],
  );
  const test = useAction(
    (c: { id: string; name: string }) =>
      typed(api.POST('/v1/channels/{id}/test', { params: { path: { id: c.id } } })).then((r) =>
        r.ok
          ? `${c.name}: the credentials work.`
          : `${c.name}: the credentials do not work (${r.message ?? r.reason ?? 'refused'}).`,
      ),
    [],
    setTested,
  );
  const confirm = useAction(
    (c: { id: string; on: boolean }) =>
      typed(
        api.PATCH('/v1/channels/{id}', {
          params: { path: { id: c.id } },
          body: { confirmWithQuery: c.on },
        }),
      ),
    ['channels'],
  );
  // Shown at once; the list is re-read when the api has answered.
  const toggle = (id: string, on: boolean) => {
    client.setQueryData<typeof channels.data>(['channels'], (old) =>
      old?.map((c) => (c.id === id ? { ...c, confirmWithQuery: on } : c)),
    );
    confirm.mutate({ id, on });
  };
  return (
    <section className="panel" aria-labelledby="channels-title">
      <h2 id="channels-title">Channels</h2>
      <ul>
        {(channels.data ?? []).map((c) => (
          <li key={c.id} className="row">
            {c.name} · {c.kind} {c.shortcode} · {c.environment}
            <label className="inline">
              <input
                type="checkbox"
                checked={c.confirmWithQuery}
                onChange={(e) => toggle(c.id, e.target.checked)}
              />{' '}
              Confirm successes by STK Query ({c.name})
            </label>
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
      <ChannelForm busy={create.isPending} onAdd={(body) => create.mutateAsync(body)} />
      <ErrorNote errors={[create.error, test.error, confirm.error]} />
    </section>
  );
}
