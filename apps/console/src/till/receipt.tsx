import type { PaymentView } from '@malipo/terminal-client';
import { formatMoney, formatTime, maskPhone } from '../shared/format';
import { DepositAccountName } from './deposit-balance';

/** A printable receipt; print CSS lays it out for 58 mm, 80 mm or A4 (see styles.css). */
export function Receipt(props: { payment: PaymentView; shop: string; till: string }) {
  const { payment: p } = props;
  return (
    <section className="receipt" aria-label="Receipt">
      <h2>{props.shop}</h2>
      <dl>
        <dt>Till</dt>
        <dd>{props.till}</dd>
        {p.accountId ? (
          <>
            <dt>Deposit to</dt>
            <dd>
              <DepositAccountName accountId={p.accountId} />
            </dd>
          </>
        ) : (
          <>
            <dt>Order</dt>
            <dd>{p.orderRef}</dd>
          </>
        )}
        <dt>Amount</dt>
        <dd>{formatMoney(p.amount, p.currency)}</dd>
        <dt>M-Pesa receipt</dt>
        <dd>{p.receipt}</dd>
        <dt>Phone</dt>
        <dd>{maskPhone(p.phone)}</dd>
        <dt>Time</dt>
        <dd>{formatTime(p.finalizedAt ?? p.updatedAt)}</dd>
      </dl>
      <p className="thanks">Thank you</p>
    </section>
  );
}
