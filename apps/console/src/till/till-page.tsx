import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import type { AccountView } from '../shared/accounts';
import { ACCOUNT_KEY, ACCOUNTS_KEY } from '../shared/accounts-api';
import { useSession } from '../shared/session';
import { ChargePanel } from './charge-panel';
import { DepositBalance } from './deposit-balance';
import { INCOMING_KEY, IncomingPanel } from './incoming-panel';
import { useLivePayment } from './live-payments';
import { NewSale } from './new-sale';
import { PaymentPanel } from './payment-panel';
import { Receipt } from './receipt';
import type { SaleDraft } from './sale-form';
import { useCharge } from './use-charge';
import { rememberCashier, rememberedCashier } from './remembered-cashier';
import { useTill } from './use-till';

type Paper = '58mm' | '80mm' | 'a4';

/** The cashier's screen: one sale at a time, from prompt to receipt. */
export function TillPage() {
  const { session } = useSession();
  const [params] = useSearchParams();
  const till = useTill();
  const charge = useCharge();
  const queries = useQueryClient();
  const { seconds, online } = useLivePayment(
    till.payment,
    till.onView,
    () => void queries.invalidateQueries({ queryKey: [INCOMING_KEY] }),
    // A deposit or charge was posted: the balance shows at once; lists are read again.
    (n) => {
      queries.setQueryData<AccountView>([ACCOUNT_KEY, n.accountId], (old) =>
        old ? { ...old, balance: n.balance } : old,
      );
      void queries.invalidateQueries({ queryKey: [ACCOUNTS_KEY] });
    },
  );
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
  const depositTo = p?.accountId ?? null;

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
    charge.reset();
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
          {depositTo && <DepositBalance accountId={depositTo} status={p.status} />}
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
      ) : charge.result ? (
        <ChargePanel {...charge.result} onNewSale={newSale} />
      ) : (
        <>
          <h1 className="visually-hidden">New sale</h1>
          {till.error && (
            <p role="alert" className="error">
              {till.error}
            </p>
          )}
          <NewSale
            draft={draft}
            busy={till.busy}
            charge={charge}
            onSend={(b, k) => {
              // A sale carries the cashier field; remember what it held (even emptied) for the next.
              if ('orderRef' in b) rememberCashier(session?.terminalId, b.cashier ?? '');
              void till.send(b, k);
            }}
          />
        </>
      )}
      <IncomingPanel />
    </div>
  );
}
