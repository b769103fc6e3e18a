import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { accountName } from '../shared/accounts';
import { ACCOUNT_KEY, getAccount } from '../shared/accounts-api';
import { formatMoney } from '../shared/format';

const useDepositAccount = (id: string) =>
  useQuery({ queryKey: [ACCOUNT_KEY, id], queryFn: () => getAccount(id) });

/**
 * The balance of the account a deposit goes into. The socket's `account.balance` updates it (see
 * TillPage); it is also read again when the payment's status changes, in case that hint is lost.
 */
export function DepositBalance(props: { accountId: string; status: string }) {
  const queries = useQueryClient();
  const account = useDepositAccount(props.accountId);
  useEffect(() => {
    void queries.invalidateQueries({ queryKey: [ACCOUNT_KEY, props.accountId] });
  }, [queries, props.accountId, props.status]);
  const a = account.data;
  if (!a) return null;
  return (
    <p className="panel balance no-print" aria-label="Account balance">
      {accountName(a)}: balance <strong>{formatMoney(a.balance)}</strong>
    </p>
  );
}

/** The account a deposit went into, as its receipt names it. */
export function DepositAccountName({ accountId }: { accountId: string }) {
  const account = useDepositAccount(accountId);
  return <>{account.data ? accountName(account.data) : '…'}</>;
}
