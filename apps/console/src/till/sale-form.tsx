import { useMemo, useRef, useState, type FormEvent } from 'react';
import { attemptKey } from '../shared/accounts';
import { checkAmount, checkPhone, formatPhoneInput } from '../shared/phone';
import { CheckedInput } from './checked-input';
import { newIdempotencyKey } from './till-api';

export interface SaleDraft {
  amount: string;
  phone: string;
  orderRef: string;
  cashier: string;
}

export interface SaleBody {
  orderRef: string;
  amount: number;
  phone: string;
  cashier?: string;
}

export const autoOrderRef = (): string =>
  `SALE-${Date.now().toString(36).toUpperCase()}-${Math.random().toString(36).slice(2, 5).toUpperCase()}`;

/** Amount, phone and order; says what is wrong before anything is sent. Enter sends. */
export function SaleForm(props: {
  initial: SaleDraft;
  busy: boolean;
  focusPhone?: boolean;
  onSend: (body: SaleBody, key: string) => void;
}) {
  const [draft, setDraft] = useState<SaleDraft>(props.initial);
  const [touched, setTouched] = useState({ amount: false, phone: false });
  const key = useRef<{ body: string; key: string } | null>(null);
  const amount = useMemo(() => checkAmount(draft.amount), [draft.amount]);
  const phone = useMemo(() => checkPhone(draft.phone), [draft.phone]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched({ amount: true, phone: true });
    if (!amount.ok || !phone.ok) return;
    const orderRef = draft.orderRef.trim() || autoOrderRef();
    setDraft((d) => ({ ...d, orderRef }));
    const cashier = draft.cashier.trim();
    const body: SaleBody = { orderRef, amount: amount.amount, phone: phone.canonical };
    if (cashier) body.cashier = cashier;
    // The same sale sent twice (a double tap, a lost answer) keeps its key: one prompt only.
    key.current = attemptKey(key.current, body, newIdempotencyKey);
    props.onSend(body, key.current.key);
  };

  return (
    <form className="panel sale" onSubmit={submit} noValidate>
      <CheckedInput
        id="amount"
        label="Amount"
        inputMode="numeric"
        autoFocus={!props.focusPhone}
        value={draft.amount}
        problem={touched.amount && !amount.ok ? amount.problem : null}
        onChange={(v) => setDraft({ ...draft, amount: v })}
        onBlur={() => setTouched((t) => ({ ...t, amount: true }))}
      />
      <CheckedInput
        id="phone"
        label="Phone number"
        type="tel"
        inputMode="tel"
        autoFocus={props.focusPhone}
        value={draft.phone}
        problem={touched.phone && !phone.ok ? phone.problem : null}
        hint="07…, 01…, +254… or 254…"
        onChange={(v) => setDraft({ ...draft, phone: formatPhoneInput(v) })}
        onBlur={() => setTouched((t) => ({ ...t, phone: true }))}
      />
      <CheckedInput
        id="order-ref"
        label="Order reference"
        value={draft.orderRef}
        problem={null}
        hint="Filled in for you when left empty."
        onChange={(v) => setDraft({ ...draft, orderRef: v })}
      />
      <label htmlFor="cashier">Cashier (optional)</label>
      <input
        id="cashier"
        autoComplete="off"
        maxLength={64}
        value={draft.cashier}
        onChange={(e) => setDraft({ ...draft, cashier: e.target.value })}
      />
      <button type="submit" className="primary" disabled={props.busy}>
        Send prompt
      </button>
    </form>
  );
}
