import { useRef, useState, type FormEvent } from 'react';
import { attemptKey, checkChargeAmount, type AccountView } from '../shared/accounts';
import { AccountAndAmount, useAccountAmount } from './account-amount';
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
  const picked = useAccountAmount(checkChargeAmount);
  const [orderRef, setOrderRef] = useState('');
  // One key per attempt: the same charge sent again (double tap, lost answer) is charged once.
  const key = useRef<{ body: string; key: string } | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const ready = picked.touch();
    if (!ready) return;
    const ref = orderRef.trim() || autoOrderRef();
    setOrderRef(ref);
    const body = { amount: ready.amount, orderRef: ref };
    key.current = attemptKey(
      key.current,
      { accountId: ready.account.id, ...body },
      newIdempotencyKey,
    );
    props.onCharge(ready.account, body, key.current.key);
  };

  return (
    <form className="panel sale" aria-label="Pay from balance" onSubmit={submit} noValidate>
      <AccountAndAmount id="charge" fields={picked.fields} />
      <CheckedInput
        id="charge-order"
        label="Order reference"
        value={orderRef}
        problem={null}
        hint="Filled in for you when left empty."
        onChange={setOrderRef}
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
