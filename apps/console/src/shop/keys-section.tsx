import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, typed } from '../shared/api';
import type { components } from '../shared/api-schema';
import { formatTime } from '../shared/format';
import { DataTable, cols } from '../shared/data-table';
import { ShownOnce } from '../shared/shown-once';
import { useAction } from '../shared/use-action';
import { ErrorNote } from '../shared/choice';

type Key = components['schemas']['ApiKeyView'];

/** API keys: create an owner key (shown once), revoke any key at once. */
export function KeysSection() {
  const [created, setCreated] = useState<string | null>(null);
  const keys = useQuery({ queryKey: ['keys'], queryFn: () => typed(api.GET('/v1/keys')) });
  const create = useAction(
    () => typed(api.POST('/v1/keys', { body: { role: 'owner', name: 'Owner key (console)' } })),
    ['keys'],
    (k) => setCreated(k.key),
  );
  const revoke = useAction(
    (id: string) => typed(api.POST('/v1/keys/{id}/revoke', { params: { path: { id } } })),
    ['keys'],
  );
  return (
    <section className="panel" aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      <ShownOnce label="New API key" value={created} onDone={() => setCreated(null)} />
      <DataTable
        label="API keys"
        rows={keys.data ?? []}
        rowKey={(k) => k.id}
        columns={cols<Key>([
          ['Name', (k) => k.name],
          ['Role', (k) => k.role],
          ['Prefix', (k) => k.prefix],
          ['Last used', (k) => formatTime(k.lastUsedAt)],
          [
            'State',
            (k) =>
              k.revokedAt ? (
                'Revoked'
              ) : (
                <button
                  type="button"
                  aria-label={`Revoke ${k.name} (${k.prefix})`}
                  onClick={() => revoke.mutate(k.id)}
                >
                  Revoke
                </button>
              ),
          ],
        ])}
      />
      <button type="button" onClick={() => create.mutate(undefined)}>
        Create owner key
      </button>
      <ErrorNote errors={[create.error, revoke.error]} />
    </section>
  );
}
