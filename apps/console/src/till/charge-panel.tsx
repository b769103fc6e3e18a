import type { AccountView, ChargeResult } from '../shared/accounts';
import { formatMoney } from '../shared/format';

/** A sale paid from the balance: done at once, with the balance it left. */
export function ChargePanel(props: {
  charge: ChargeResult;
  account: AccountView;
  onNewSale: () => void;
}) {
  const { charge: c } = props;
  return (
    <section className="panel payment tone-ok" aria-labelledby="charge-title">
      <div role="status" aria-live="polite" className="state">
        <h1 id="charge-title">Paid from balance</h1>
        <p className="facts">
          {formatMoney(c.amount)} · {props.account.name} · order {c.orderRef}
        </p>
        <p>
          New balance <strong>{formatMoney(c.balanceAfter)}</strong> (was{' '}
          {formatMoney(c.balanceBefore)})
        </p>
      </div>
      <div className="actions no-print">
        <button type="button" className="primary" onClick={props.onNewSale}>
          New sale
        </button>
      </div>
    </section>
  );
}
