import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, typed } from '../shared/api';
import { ShownOnce } from '../shared/shown-once';
import { useAction } from '../shared/use-action';
import { ErrorNote, Field } from '../shared/choice';

/** Tills: add one, and issue it a key (shown once). */
export function TerminalsSection() {
  const [form, setForm] = useState({ name: '', code: '' });
  const [issued, setIssued] = useState<string | null>(null);
  const terminals = useQuery({
    queryKey: ['terminals', 'own'],
    queryFn: () => typed(api.GET('/v1/terminals')),
  });
  const create = useAction(
    () => typed(api.POST('/v1/terminals', { body: form })),
    ['terminals'],
    () => setForm({ name: '', code: '' }),
  );
  const issue = useAction(
    (t: { id: string; name: string }) =>
      typed(
        api.POST('/v1/keys', {
          body: { role: 'terminal', name: `${t.name} key`, terminalId: t.id },
        }),
      ),
    ['keys'],
    (k) => setIssued(k.key),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(undefined);
  };
  return (
    <section className="panel" aria-labelledby="terminals-title">
      <h2 id="terminals-title">Terminals</h2>
      <ShownOnce label="New terminal key" value={issued} onDone={() => setIssued(null)} />
      <ul>
        {(terminals.data ?? []).map((t) => (
          <li key={t.id} className="row">
            {t.name} ({t.code})
            <button
              type="button"
              onClick={() => issue.mutate(t)}
              aria-label={`Issue key for ${t.name}`}
            >
              Issue key
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={submit} className="filters">
        <Field
          id="t-name"
          label="Terminal name"
          required
          value={form.name}
          onChange={(v) => setForm({ ...form, name: v })}
        />
        <Field
          id="t-code"
          label="Terminal code"
          required
          value={form.code}
          onChange={(v) => setForm({ ...form, code: v })}
        />
        <div>
          <button type="submit">Add terminal</button>
        </div>
      </form>
      <ErrorNote errors={[create.error, issue.error]} />
    </section>
  );
}
