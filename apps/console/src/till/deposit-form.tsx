import { useRef, useState, type FormEvent } from 'react';
import { attemptKey } from '../shared/accounts';
import { checkAmount, checkPhone, formatPhoneInput } from '../shared/phone';
import { AccountAndAmount, useAccountAmount } from './account-amount';
import { CheckedInput } from './checked-input';
import { newIdempotencyKey, type PaymentRequest } from './till-api';

/** Money into a customer's account by M-Pesa: the same prompt as a sale, aimed at the account. */
export function DepositForm(props: {
  busy: boolean;
  onSend: (body: PaymentRequest, key: string) => void;
}) {
  const picked = useAccountAmount(checkAmount);
  const [phoneText, setPhoneText] = useState('');
  const key = useRef<{ body: string; key: string } | null>(null);
  const phone = checkPhone(phoneText);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const ready = picked.touch();
    if (!ready || !phone.ok) return;
    const body = { accountId: ready.account.id, amount: ready.amount, phone: phone.canonical };
    // The same deposit sent twice (a double tap, a lost answer) keeps its key: one prompt only.
    key.current = attemptKey(key.current, body, newIdempotencyKey);
    props.onSend(body, key.current.key);
  };

  return (
    <form className="panel sale" aria-label="Deposit to account" onSubmit={submit} noValidate>
      <AccountAndAmount id="deposit" fields={picked.fields} />
      <CheckedInput
        id="deposit-phone"
        label="Phone number"
        type="tel"
        inputMode="tel"
        value={phoneText}
        problem={picked.touched && !phone.ok ? phone.problem : null}
        hint="The phone that pays: 07…, 01…, +254… or 254…"
        onChange={(v) => setPhoneText(formatPhoneInput(v))}
      />
      <button type="submit" className="primary" disabled={props.busy}>
        Send deposit prompt
      </button>
    </form>
  );
}
