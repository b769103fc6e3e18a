import { useRef, useState, type FormEvent } from 'react';
import { attemptKey, type AccountView } from '../shared/accounts';
import { checkAmount, checkPhone, formatPhoneInput } from '../shared/phone';
import { AccountPicker } from './account-picker';
import { CheckedInput } from './checked-input';
import { newIdempotencyKey, type PaymentRequest } from './till-api';

/** Money into a customer's account by M-Pesa: the same prompt as a sale, aimed at the account. */
export function DepositForm(props: {
  busy: boolean;
  onSend: (body: PaymentRequest, key: string) => void;
}) {
  const [account, setAccount] = useState<AccountView | null>(null);
  const [draft, setDraft] = useState({ amount: '', phone: '' });
  const [touched, setTouched] = useState(false);
  const key = useRef<{ body: string; key: string } | null>(null);
  const amount = checkAmount(draft.amount);
  const phone = checkPhone(draft.phone);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!account || !amount.ok || !phone.ok) return;
    const body = { accountId: account.id, amount: amount.amount, phone: phone.canonical };
    // The same deposit sent twice (a double tap, a lost answer) keeps its key: one prompt only.
    key.current = attemptKey(key.current, body, newIdempotencyKey);
    props.onSend(body, key.current.key);
  };

  return (
    <form className="panel sale" aria-label="Deposit to account" onSubmit={submit} noValidate>
      <AccountPicker
        value={account}
        onChange={setAccount}
        problem={touched && !account ? 'Choose the customer’s account.' : null}
      />
      <CheckedInput
        id="deposit-amount"
        label="Amount"
        inputMode="numeric"
        value={draft.amount}
        problem={touched && !amount.ok ? amount.problem : null}
        onChange={(v) => setDraft({ ...draft, amount: v })}
      />
      <CheckedInput
        id="deposit-phone"
        label="Phone number"
        type="tel"
        inputMode="tel"
        value={draft.phone}
        problem={touched && !phone.ok ? phone.problem : null}
        hint="The phone that pays: 07…, 01…, +254… or 254…"
        onChange={(v) => setDraft({ ...draft, phone: formatPhoneInput(v) })}
      />
      <button type="submit" className="primary" disabled={props.busy}>
        Send deposit prompt
      </button>
    </form>
  );
}
