import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../shared/api';
import { formatTime } from '../shared/format';
import { useAction } from '../shared/use-action';
import { Choice, ErrorNote } from '../shared/choice';

interface Callback {
  id: string;
  tenantId: string | null;
  state: string;
  receivedAt: string;
  processAttempts: number;
  lastError: string | null;
  rawBody: string;
}
const STATES = ['dead', 'invalid', 'rejected', 'received'] as const;

/** Dead-lettered and invalid callbacks, as received (phones masked), with replay. */
export function CallbacksPage() {
  const [params, setParams] = useSearchParams();
  const state = (params.get('state') ?? 'dead') as (typeof STATES)[number];
  const list = useQuery({
    queryKey: ['callbacks', state],
    queryFn: () =>
      unwrap<{ items: Callback[] }>(
        api.GET('/v1/ops/callbacks', { params: { query: { state, limit: 200 } } }),
      ),
  });
  const replay = useAction(
    (id: string) => unwrap(api.POST('/v1/ops/callbacks/{id}/replay', { params: { path: { id } } })),
    ['callbacks'],
  );
  return (
    <section aria-labelledby="callbacks-title">
      <h1 id="callbacks-title">Callbacks</h1>
      <Choice
        id="cb-state"
        label="State"
        value={state}
        options={STATES}
        onChange={(v) => setParams({ state: v })}
      />
      {replay.isSuccess && <p role="status">Replayed: the callback is queued again.</p>}
      <ErrorNote errors={[replay.error]} />
      <ul className="plain" aria-label="Callbacks">
        {(list.data?.items ?? []).map((c) => (
          <li key={c.id} className="panel">
            <p>
              <strong>{c.state}</strong> · received {formatTime(c.receivedAt)} · tries{' '}
              {c.processAttempts}
              {c.lastError && ` · ${c.lastError}`}
            </p>
            <pre className="secret">{c.rawBody.slice(0, 600)}</pre>
            {c.state === 'dead' && (
              <button
                type="button"
                aria-label={`Replay callback ${c.id.slice(0, 8)}`}
                onClick={() => replay.mutate(c.id)}
              >
                Replay
              </button>
            )}
          </li>
        ))}
        {list.data?.items.length === 0 && <li>No {state} callbacks.</li>}
      </ul>
    </section>
  );
}
