import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useSession } from '../shared/session';
import { INCOMING_KEY, IncomingPanel } from './incoming-panel';
import { useLivePayment } from './live-payments';
import { PaymentPanel } from './payment-panel';
import { Receipt } from './receipt';
import { rememberCashier, rememberedCashier } from './remembered-cashier';
import { SaleForm, type SaleDraft } from './sale-form';
import { useTill } from './use-till';

type Paper = '58mm' | '80mm' | 'a4';

/** The cashier's screen: one sale at a time, from prompt to receipt. */
export function TillPage() {
  const { session } = useSession();
  const [params] = useSearchParams();
  const till = useTill();
  const queries = useQueryClient();
  const { seconds, online } = useLivePayment(till.payment, till.onView, () => {
    void queries.invalidateQueries({ queryKey: [INCOMING_KEY] });
  });
  const [draft, setDraft] = useState<{ value: SaleDraft; focusPhone: boolean; n: number }>(() => ({
    value: {
      amount: params.get('amount') ?? '',
      phone: params.get('phone') ?? '',
      orderRef: params.get('orderRef') ?? '',
      cashier: rememberedCashier(session?.terminalId),
    },
    focusPhone: false,
    n: 0,
  }));
  const [paper, setPaper] = useState<Paper>('80mm');
  const p = till.payment;

  const changePhone = () => {
    if (!p) return;
    setDraft((d) => ({
      value: {
        amount: String(p.amount),
        phone: '',
        orderRef: p.orderRef,
        cashier: rememberedCashier(session?.terminalId),
      },
      focusPhone: true,
      n: d.n + 1,
    }));
    till.reset();
  };
  const newSale = () => {
    setDraft((d) => ({
      value: {
        amount: '',
        phone: '',
        orderRef: '',
        cashier: rememberedCashier(session?.terminalId),
      },
      focusPhone: false,
      n: d.n + 1,
    }));
    till.reset();
  };

  return (
    <div className={`till paper-${paper}`}>
      {!online && (
        <p className="offline no-print" role="alert">
          Reconnecting… the payment continues and its result will show here.
        </p>
      )}
      {p ? (
        <>
          <PaymentPanel
            till={{ ...till, reset: newSale }}
            payment={p}
            seconds={seconds}
            onChangePhone={changePhone}
            onPrint={() => window.print()}
          />
          {p.status === 'succeeded' && (
            <>
              <label className="no-print paper" htmlFor="paper">
                Receipt paper{' '}
                <select
                  id="paper"
                  value={paper}
                  onChange={(e) => setPaper(e.target.value as Paper)}
                >
                  <option value="58mm">58 mm</option>
                  <option value="80mm">80 mm</option>
                  <option value="a4">A4</option>
                </select>
              </label>
              <Receipt
                payment={p}
                shop={session?.shopName ?? ''}
                till={session?.terminalName ?? ''}
              />
            </>
          )}
        </>
      ) : (
        <>
          <h1 className="visually-hidden">New sale</h1>
          {till.error && (
            <p role="alert" className="error">
              {till.error}
            </p>
          )}
          <SaleForm
            key={draft.n}
            initial={draft.value}
            focusPhone={draft.focusPhone}
            busy={till.busy}
            onSend={(b, k) => {
              rememberCashier(session?.terminalId, b.cashier ?? '');
              void till.send(b, k);
            }}
          />
        </>
      )}
      <IncomingPanel />
    </div>
  );
}
