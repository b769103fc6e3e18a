import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import type { AccountView } from '../shared/accounts';
import { ACCOUNT_KEY, getAccount, STATEMENT_KEY } from '../shared/accounts-api';
import { formatMoney, formatTime, maskPhone } from '../shared/format';
import { useLiveSocket } from '../shared/live-socket';
import { AccountStatement } from './account-statement';
import { AdjustmentsSection } from './adjustments-section';

/** One customer account: its balance (live), its statement and the owners' adjustments. */
export function AccountPage() {
  const { id = '' } = useParams();
  const client = useQueryClient();
  const account = useQuery({ queryKey: [ACCOUNT_KEY, id], queryFn: () => getAccount(id) });
  const reread = () => {
    void client.invalidateQueries({ queryKey: [ACCOUNT_KEY, id] });
    void client.invalidateQueries({ queryKey: [STATEMENT_KEY, id] });
  };

  useLiveSocket({
    onPayment: () => undefined,
    // A message is a hint: the balance shows at once, the statement is read again to match it.
    onBalance: (n) => {
      if (n.accountId !== id) return;
      client.setQueryData<AccountView>([ACCOUNT_KEY, id], (old) =>
        old ? { ...old, balance: n.balance } : old,
      );
      reread();
    },
    onConnected: reread,
  });

  const a = account.data;
  if (account.isError) return <p role="alert">This account does not exist or is not yours.</p>;
  if (!a) return <p>Loading…</p>;
  return (
    <section aria-labelledby="account-title">
      <p>
        <Link to="/shop/accounts">← Accounts</Link>
      </p>
      <h1 id="account-title">{a.name}</h1>
      <p className="panel balance" role="status" aria-label="Balance">
        Balance <strong>{formatMoney(a.balance)}</strong>
      </p>
      <dl className="panel facts-list">
        <dt>Customer id</dt>
        <dd>{a.externalRef ?? '—'}</dd>
        <dt>Phone</dt>
        <dd>{a.phone ? maskPhone(a.phone) : '—'}</dd>
        <dt>Status</dt>
        <dd>{a.status === 'active' ? 'Active' : 'Closed'}</dd>
        <dt>Opened</dt>
        <dd>{formatTime(a.createdAt)}</dd>
      </dl>
      <AccountStatement accountId={a.id} />
      <AdjustmentsSection accountId={a.id} />
    </section>
  );
}
