import { useState, type FormEvent } from 'react';
import { Field, SubmitWithProblem } from '../shared/choice';
import { checkPhone } from '../shared/phone';

const EMPTY = { name: '', phone: '', externalRef: '' };

export type NewAccount = { name: string; phone?: string; externalRef?: string };

/** A customer's account: a name, and optionally their phone and the shop's own customer id. */
export function AccountForm(props: {
  busy: boolean;
  onAdd: (body: NewAccount) => Promise<unknown>;
}) {
  const [form, setForm] = useState(EMPTY);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const name = form.name.trim();
    if (!name) return setProblem('Enter the customer’s name.');
    const phone = form.phone.trim() ? checkPhone(form.phone) : null;
    if (phone && !phone.ok) return setProblem(phone.problem);
    setProblem(null);
    const body: NewAccount = { name };
    if (phone?.ok) body.phone = phone.canonical;
    if (form.externalRef.trim()) body.externalRef = form.externalRef.trim();
    // Cleared once the api has the account; kept for correction when it refused it.
    props.onAdd(body).then(
      () => setForm(EMPTY),
      () => undefined,
    );
  };
  return (
    <form onSubmit={submit} className="panel filters" aria-label="New account" noValidate>
      <Field
        id="acc-name"
        label="Customer name"
        value={form.name}
        onChange={(name) => setForm({ ...form, name })}
      />
      <Field
        id="acc-phone"
        label="Customer phone (optional)"
        type="tel"
        value={form.phone}
        onChange={(phone) => setForm({ ...form, phone })}
      />
      <Field
        id="acc-ref"
        label="Your customer id (optional)"
        value={form.externalRef}
        onChange={(externalRef) => setForm({ ...form, externalRef })}
      />
      <SubmitWithProblem label="Create account" busy={props.busy} problem={problem} />
    </form>
  );
}
