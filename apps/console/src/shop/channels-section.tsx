import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, typed } from '../shared/api';
import { ErrorNote } from '../shared/choice';
import { useAction } from '../shared/use-action';
import { ChannelForm, type NewChannel } from './channel-form';

/** M-Pesa channels: add one, test its credentials, turn confirm-by-STK-Query on or off. */
export function ChannelsSection() {
  const [tested, setTested] = useState<string | null>(null);
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
  // Shown at once (React state, set in the event itself); the list is re-read once answered.
  const [switched, setSwitched] = useState<Record<string, boolean>>({});
  const toggle = (id: string, on: boolean) => {
    setSwitched((s) => ({ ...s, [id]: on }));
    // Refused: show what the api has again. Accepted: the override and the api agree.
    confirm.mutate({ id, on }, { onError: () => setSwitched(({ [id]: _, ...rest }) => rest) });
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
                checked={switched[c.id] ?? c.confirmWithQuery}
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
