import { useRef, useState, type FormEvent } from 'react';
import { attemptKey, checkChargeAmount, type AccountView } from '../shared/accounts';
import { AccountPicker } from './account-picker';
import { CheckedInput } from './checked-input';
import { autoOrderRef } from './sale-form';
import { newIdempotencyKey } from './till-api';
import type { ChargeRefusal } from './use-charge';

/** A sale paid from the customer's prepaid balance: account, amount, order. Enter charges. */
export function ChargeForm(props: {
  busy: boolean;
  refusal: ChargeRefusal | null;
  onCharge: (account: AccountView, body: { amount: number; orderRef: string }, key: string) => void;
}) {
  const [account, setAccount] = useState<AccountView | null>(null);
  const [draft, setDraft] = useState({ amount: '', orderRef: '' });
  const [touched, setTouched] = useState(false);
  // One key per attempt: the same charge sent again (double tap, lost answer) is charged once.
  const key = useRef<{ body: string; key: string } | null>(null);
  const amount = checkChargeAmount(draft.amount);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!account || !amount.ok) return;
    const orderRef = draft.orderRef.trim() || autoOrderRef();
    setDraft((d) => ({ ...d, orderRef }));
    const body = { amount: amount.amount, orderRef };
    key.current = attemptKey(key.current, { accountId: account.id, ...body }, newIdempotencyKey);
    props.onCharge(account, body, key.current.key);
  };

  return (
    <form className="panel sale" aria-label="Pay from balance" onSubmit={submit} noValidate>
      <AccountPicker
        value={account}
        onChange={setAccount}
        problem={touched && !account ? 'Choose the customer’s account.' : null}
      />
      <CheckedInput
        id="charge-amount"
        label="Amount"
        inputMode="numeric"
        value={draft.amount}
        problem={touched && !amount.ok ? amount.problem : null}
        onChange={(v) => setDraft({ ...draft, amount: v })}
      />
      <CheckedInput
        id="charge-order"
        label="Order reference"
        value={draft.orderRef}
        problem={null}
        hint="Filled in for you when left empty."
        onChange={(v) => setDraft({ ...draft, orderRef: v })}
      />
      {props.refusal && (
        <div role="alert" className="panel tone-bad">
          <h2>{props.refusal.title}</h2>
          <p>{props.refusal.detail}</p>
        </div>
      )}
      <button type="submit" className="primary" disabled={props.busy}>
        Charge account
      </button>
    </form>
  );
}
