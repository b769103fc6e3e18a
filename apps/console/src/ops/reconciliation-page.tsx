import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../shared/api';
import { addDays, todayEat } from '../shared/days';
import { formatTime } from '../shared/format';
import { useAction } from '../shared/use-action';
import { ErrorNote, Field } from '../shared/choice';

interface Run {
  id: string;
  state: string;
  from: string;
  to: string;
  summary: unknown;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** Start a reconciliation run over days (all shops or one); follow it until it has results. */
export function ReconciliationPage() {
  const [params, setParams] = useSearchParams();
  const [form, setForm] = useState({ from: addDays(todayEat(), -1), to: todayEat(), tenantId: '' });
  const runId = params.get('run');
  const start = useAction(
    () =>
      unwrap<Run>(
        api.POST('/v1/ops/reconciliation/runs', {
          body: { from: form.from, to: form.to, tenantId: form.tenantId || undefined },
        }),
      ),
    [],
    (run) => setParams({ run: run.id }),
  );
  const run = useQuery({
    queryKey: ['run', runId],
    enabled: Boolean(runId),
    queryFn: () =>
      unwrap<Run>(
        api.GET('/v1/ops/reconciliation/runs/{id}', { params: { path: { id: runId ?? '' } } }),
      ),
    refetchInterval: (q) =>
      q.state.data && ['completed', 'failed'].includes(q.state.data.state) ? false : 1_000,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    start.mutate(undefined);
  };
  return (
    <section aria-labelledby="recon-title">
      <h1 id="recon-title">Reconciliation</h1>
      <form className="panel filters" onSubmit={submit} aria-label="Start a run">
        <Field
          id="rr-from"
          label="From"
          value={form.from}
          onChange={(v) => setForm({ ...form, from: v })}
          type="date"
        />
        <Field
          id="rr-to"
          label="To"
          value={form.to}
          onChange={(v) => setForm({ ...form, to: v })}
          type="date"
        />
        <Field
          id="rr-shop"
          label="Shop id (empty: all)"
          value={form.tenantId}
          onChange={(v) => setForm({ ...form, tenantId: v })}
        />
        <div>
          <button type="submit">Start run</button>
        </div>
      </form>
      <ErrorNote errors={[start.error]} />
      {run.data && (
        <div className="panel" role="status">
          <p>
            Run {run.data.from} – {run.data.to}: <strong>{run.data.state}</strong> · started{' '}
            {formatTime(run.data.createdAt)}
          </p>
          {run.data.error && <p className="error">{run.data.error}</p>}
          {run.data.summary !== null && (
            <pre className="secret">{JSON.stringify(run.data.summary, null, 2)}</pre>
          )}
        </div>
      )}
    </section>
  );
}
