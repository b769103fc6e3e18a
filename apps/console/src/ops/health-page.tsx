import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../shared/api';
import { formatTime } from '../shared/format';
import { DataTable, cols } from '../shared/data-table';

interface Ready {
  status: string;
  info?: Record<string, { status: string }>;
  error?: Record<string, { status: string }>;
}
interface OpsHealth {
  queues: ({ name: string } & Record<string, number | string>)[];
  oldestPendingCallbackAt: string | null;
  /** As this api replica saw Daraja on its last pushes; not part of readiness. */
  daraja?: { lastAnswerAt: string | null; consecutiveFailures: number };
}

/** Readiness (PostgreSQL, Redis), Daraja, queue depths and the oldest callback still waiting. */
export function HealthPage() {
  const ready = useQuery({
    queryKey: ['ready'],
    queryFn: async () => (await fetch('/health/ready')).json() as Promise<Ready>,
    refetchInterval: 10_000,
  });
  const ops = useQuery({
    queryKey: ['ops-health'],
    queryFn: () => unwrap<OpsHealth>(api.GET('/v1/ops/health')),
    refetchInterval: 10_000,
  });
  const deps = { ...(ready.data?.info ?? {}), ...(ready.data?.error ?? {}) };
  return (
    <section aria-labelledby="health-title">
      <h1 id="health-title">Health</h1>
      <div className="panel">
        <p>
          Readiness: <strong>{ready.data?.status ?? '…'}</strong>
        </p>
        <ul>
          {Object.entries(deps).map(([k, v]) => (
            <li key={k}>
              {k}: {v.status}
            </li>
          ))}
        </ul>
        <p>
          Daraja: last answer {ops.data?.daraja ? formatTime(ops.data.daraja.lastAnswerAt) : '…'}
          {ops.data?.daraja?.consecutiveFailures
            ? `, ${ops.data.daraja.consecutiveFailures} failed calls in a row`
            : ''}
        </p>
        <p>
          Oldest callback waiting: {ops.data ? formatTime(ops.data.oldestPendingCallbackAt) : '…'}
        </p>
      </div>
      <DataTable
        label="Queues"
        rows={ops.data?.queues ?? []}
        rowKey={(q) => q.name}
        columns={cols<OpsHealth['queues'][number]>([
          ['Queue', (q) => q.name],
          ['Waiting', (q) => q.waiting],
          ['Active', (q) => q.active],
          ['Delayed', (q) => q.delayed],
          ['Failed', (q) => q.failed],
        ])}
      />
    </section>
  );
}
