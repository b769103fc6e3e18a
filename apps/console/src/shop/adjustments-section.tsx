import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { checkAdjustment, type AdjustmentView } from '../shared/accounts';
import {
  ACCOUNT_KEY,
  ADJUSTMENTS_KEY,
  approveAdjustment,
  listAdjustments,
  requestAdjustment,
  STATEMENT_KEY,
} from '../shared/accounts-api';
import { ErrorNote, Field, SubmitWithProblem } from '../shared/choice';
import { formatMoney, formatTime } from '../shared/format';
import { useAction } from '../shared/use-action';

const signed = (n: number) => `${n > 0 ? '+' : '−'}${formatMoney(Math.abs(n))}`;

/**
 * Owners correct a balance with a reason; like a reversal it takes two people: the key that asks
 * cannot approve (the api answers 403), so a second owner approves the pending one here.
 */
export function AdjustmentsSection({ accountId }: { accountId: string }) {
  const refresh = [ADJUSTMENTS_KEY, ACCOUNT_KEY, STATEMENT_KEY];
  const list = useQuery({
    queryKey: [ADJUSTMENTS_KEY, accountId],
    queryFn: () => listAdjustments(accountId),
  });
  const ask = useAction(
    (body: { amount: number; reason: string }) => requestAdjustment(accountId, body),
    refresh,
  );
  const approve = useAction((adj: string) => approveAdjustment(accountId, adj), refresh);
  const pending = (list.data ?? []).filter((a) => a.state === 'pending_approval');
  return (
    <section aria-labelledby="adjust-title">
      <h2 id="adjust-title">Adjustments</h2>
      <AdjustmentForm busy={ask.isPending} onAsk={(b) => ask.mutateAsync(b)} />
      <ErrorNote errors={[ask.error, approve.error]} />
      <ul className="plain panel" aria-label="Adjustments waiting for approval">
        {pending.map((a) => (
          <Pending key={a.id} adj={a} busy={approve.isPending} onApprove={approve.mutate} />
        ))}
        {pending.length === 0 && <li>None waiting for approval.</li>}
      </ul>
    </section>
  );
}

function Pending(props: { adj: AdjustmentView; busy: boolean; onApprove: (id: string) => void }) {
  const { adj } = props;
  return (
    <li>
      <strong>{signed(adj.amount)}</strong> · {adj.reason} · asked {formatTime(adj.createdAt)}{' '}
      <button
        type="button"
        disabled={props.busy}
        aria-label={`Approve ${signed(adj.amount)}: ${adj.reason}`}
        onClick={() => props.onApprove(adj.id)}
      >
        Approve
      </button>
    </li>
  );
}

function AdjustmentForm(props: {
  busy: boolean;
  onAsk: (body: { amount: number; reason: string }) => Promise<unknown>;
}) {
  const [form, setForm] = useState({ amount: '', reason: '' });
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const amount = checkAdjustment(form.amount);
    if (!amount.ok) return setProblem(amount.problem);
    if (form.reason.trim().length < 2) return setProblem('Say why the balance changes.');
    setProblem(null);
    props.onAsk({ amount: amount.amount, reason: form.reason.trim() }).then(
      () => setForm({ amount: '', reason: '' }),
      () => undefined,
    );
  };
  return (
    <form className="panel filters" aria-label="Request an adjustment" onSubmit={submit} noValidate>
      <Field
        id="adj-amount"
        label="Amount (KES, − to take off)"
        value={form.amount}
        onChange={(amount) => setForm({ ...form, amount })}
      />
      <Field
        id="adj-reason"
        label="Reason"
        value={form.reason}
        onChange={(reason) => setForm({ ...form, reason })}
      />
      <SubmitWithProblem label="Request adjustment" busy={props.busy} problem={problem} />
    </form>
  );
}
