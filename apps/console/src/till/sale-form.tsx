import { useMemo, useRef, useState, type FormEvent } from 'react';
import { checkAmount, checkPhone, formatPhoneInput } from '../shared/phone';
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

const autoOrderRef = (): string =>
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
  const amountProblem = touched.amount && !amount.ok ? amount.problem : null;
  const phoneProblem = touched.phone && !phone.ok ? phone.problem : null;

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
    const text = JSON.stringify(body);
    if (key.current?.body !== text) key.current = { body: text, key: newIdempotencyKey() };
    props.onSend(body, key.current.key);
  };

  return (
    <form className="panel sale" onSubmit={submit} noValidate>
      <label htmlFor="amount">Amount</label>
      <input
        id="amount"
        inputMode="numeric"
        autoComplete="off"
        autoFocus={!props.focusPhone}
        value={draft.amount}
        aria-invalid={Boolean(amountProblem)}
        aria-describedby={amountProblem ? 'amount-problem' : undefined}
        onChange={(e) => setDraft({ ...draft, amount: e.target.value })}
        onBlur={() => setTouched((t) => ({ ...t, amount: true }))}
      />
      {amountProblem && (
        <p id="amount-problem" className="error">
          {amountProblem}
        </p>
      )}
      <label htmlFor="phone">Phone number</label>
      <input
        id="phone"
        type="tel"
        inputMode="tel"
        autoComplete="off"
        autoFocus={props.focusPhone}
        value={draft.phone}
        aria-invalid={Boolean(phoneProblem)}
        aria-describedby={phoneProblem ? 'phone-problem' : 'phone-hint'}
        onChange={(e) => setDraft({ ...draft, phone: formatPhoneInput(e.target.value) })}
        onBlur={() => setTouched((t) => ({ ...t, phone: true }))}
      />
      {phoneProblem ? (
        <p id="phone-problem" className="error">
          {phoneProblem}
        </p>
      ) : (
        <p id="phone-hint" className="hint">
          07…, 01…, +254… or 254…
        </p>
      )}
      <label htmlFor="order-ref">Order reference</label>
      <input
        id="order-ref"
        autoComplete="off"
        value={draft.orderRef}
        aria-describedby="order-hint"
        onChange={(e) => setDraft({ ...draft, orderRef: e.target.value })}
      />
      <p id="order-hint" className="hint">
        Filled in for you when left empty.
      </p>
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
