import { useSearchParams } from 'react-router';
import { ChargeForm } from './charge-form';
import { DepositForm } from './deposit-form';
import { SaleForm, type SaleDraft } from './sale-form';
import type { PaymentRequest } from './till-api';
import type { useCharge } from './use-charge';

const MODES = [
  ['sale', 'Sale'],
  ['deposit', 'Deposit to account'],
  ['balance', 'Pay from balance'],
] as const;
type Mode = (typeof MODES)[number][0];

const modeOf = (value: string | null): Mode =>
  MODES.some(([m]) => m === value) ? (value as Mode) : 'sale';

/** What the cashier starts: a sale by M-Pesa, a deposit, or a sale paid from a balance (in the URL). */
export function NewSale(props: {
  draft: { value: SaleDraft; focusPhone: boolean; n: number };
  busy: boolean;
  charge: ReturnType<typeof useCharge>;
  onSend: (body: PaymentRequest, key: string) => void;
}) {
  const [params, setParams] = useSearchParams();
  const mode = modeOf(params.get('mode'));
  const choose = (next: Mode) => {
    const p = new URLSearchParams(params);
    if (next === 'sale') p.delete('mode');
    else p.set('mode', next);
    props.charge.reset();
    setParams(p, { replace: true });
  };
  return (
    <>
      <div className="modes no-print" role="group" aria-label="Kind of sale">
        {MODES.map(([m, label]) => (
          <button key={m} type="button" aria-pressed={mode === m} onClick={() => choose(m)}>
            {label}
          </button>
        ))}
      </div>
      {mode === 'sale' && (
        <SaleForm
          key={props.draft.n}
          initial={props.draft.value}
          focusPhone={props.draft.focusPhone}
          busy={props.busy}
          onSend={props.onSend}
        />
      )}
      {mode === 'deposit' && <DepositForm busy={props.busy} onSend={props.onSend} />}
      {mode === 'balance' && (
        <ChargeForm
          busy={props.charge.busy}
          refusal={props.charge.refusal}
          onCharge={(account, body, key) => void props.charge.charge(account, body, key)}
        />
      )}
    </>
  );
}
