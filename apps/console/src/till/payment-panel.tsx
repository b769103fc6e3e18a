import type { PaymentView } from '@malipo/terminal-client';
import { useEffect } from 'react';
import { formatMoney, formatSeconds, maskPhone } from '../shared/format';
import { describe, isLateSuccess } from './outcome';
import type { Till } from './use-till';

/** The payment in flight: its state (announced), countdown, and the safe next steps. */
export function PaymentPanel(props: {
  till: Till;
  payment: PaymentView;
  seconds: number | null;
  onChangePhone: () => void;
  onPrint: () => void;
}) {
  const { till, payment: p } = props;
  const waiting = p.nextAction === 'wait_for_customer';
  const said = describe(p);
  const late = isLateSuccess(p, till.gaveUp !== null);

  useEffect(() => {
    if (!waiting) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') void till.cancel();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [waiting, till]);

  return (
    <section
      className={`panel payment tone-${late ? 'alarm' : said.tone}`}
      aria-labelledby="payment-title"
    >
      <div role="status" aria-live="polite" className="state">
        <h1 id="payment-title">{late ? 'Paid by M-Pesa after all' : said.title}</h1>
        {late && (
          <p className="alarm">
            {till.gaveUp === 'cash'
              ? 'The customer also paid cash: they have paid twice. Give the cash back.'
              : 'You cancelled, but the customer paid. Do not charge them again.'}
          </p>
        )}
        <p>{said.detail}</p>
        <p className="facts">
          {formatMoney(p.amount, p.currency)} · {maskPhone(p.phone)} ·{' '}
          {p.accountId ? 'deposit to account' : `order ${p.orderRef}`}
          {p.attempts > 1 ? ` · prompt ${p.attempts}` : ''}
        </p>
      </div>
      {/* Outside the status region: a screen reader is not told every second. */}
      {waiting && props.seconds !== null && (
        <p className="countdown">Time left: {formatSeconds(props.seconds)}</p>
      )}
      {till.error && (
        <p role="alert" className="error">
          {till.error}
        </p>
      )}
      <Actions {...props} late={late} />
    </section>
  );
}

function Actions(props: {
  till: Till;
  payment: PaymentView;
  late: boolean;
  onChangePhone: () => void;
  onPrint: () => void;
}) {
  const { till, payment: p } = props;
  const b = (label: string, onClick: () => void, primary = false) => (
    <button
      type="button"
      key={label}
      className={primary ? 'primary' : undefined}
      disabled={till.busy}
      onClick={onClick}
    >
      {label}
    </button>
  );
  const buttons = [];
  switch (p.nextAction) {
    case 'wait_for_customer':
      buttons.push(b('Cancel', () => void till.cancel()));
      break;
    case 'check_again_later':
      buttons.push(b('Check again', () => void till.refresh(), true));
      break;
    case 'retry':
      buttons.push(
        b('Try again', () => void till.retry(), true),
        b('Change phone number', props.onChangePhone),
      );
      buttons.push(
        b('Customer paid cash', () => void till.cash()),
        b('New sale', till.reset),
      );
      break;
    case 'take_another_payment':
      if (p.status === 'failed') {
        buttons.push(
          b('Change phone number', props.onChangePhone),
          b('Customer paid cash', () => void till.cash()),
        );
      }
      buttons.push(b('New sale', till.reset, true));
      break;
    case 'none':
      if (p.status === 'succeeded') buttons.push(b('Print receipt', props.onPrint, !props.late));
      buttons.push(b('New sale', till.reset));
      break;
  }
  return <div className="actions no-print">{buttons}</div>;
}
