import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { INSUFFICIENT_BALANCE, type AccountView, type ChargeResult } from '../shared/accounts';
import { ACCOUNT_KEY, ACCOUNTS_KEY, chargeAccount } from '../shared/accounts-api';
import { ApiError } from '../shared/api';
import { formatMoney } from '../shared/format';

export interface ChargeRefusal {
  title: string;
  detail: string;
}

/** Why the api refused a charge, in the cashier's words. */
export function refusalOf(error: unknown, account: AccountView, amount: number): ChargeRefusal {
  if (!(error instanceof ApiError)) {
    return {
      title: 'Not charged',
      detail: 'The till could not reach the server. Check the network and try again.',
    };
  }
  if (error.code === INSUFFICIENT_BALANCE) {
    const balance = typeof error.details.balance === 'number' ? error.details.balance : null;
    return {
      title: 'Not enough balance',
      detail: `${account.name} has ${formatMoney(balance ?? account.balance)}; this sale is ${formatMoney(amount)}. Nothing was charged.`,
    };
  }
  if (error.code === 'ACCOUNT.CLOSED') {
    return { title: 'Account closed', detail: 'This account is closed. Nothing was charged.' };
  }
  return { title: 'Not charged', detail: error.message };
}

/** One sale paid from a balance: sent once per attempt key, with its result or its refusal. */
export function useCharge() {
  const queries = useQueryClient();
  const [result, setResult] = useState<{ charge: ChargeResult; account: AccountView } | null>(null);
  const [refusal, setRefusal] = useState<ChargeRefusal | null>(null);
  const [busy, setBusy] = useState(false);

  const charge = async (
    account: AccountView,
    body: { amount: number; orderRef: string },
    key: string,
  ) => {
    setBusy(true);
    setRefusal(null);
    try {
      setResult({ charge: await chargeAccount(account.id, body, key), account });
    } catch (e) {
      setRefusal(refusalOf(e, account, body.amount));
    } finally {
      setBusy(false);
      // Either way the balance shown may be old now: read it again.
      void queries.invalidateQueries({ queryKey: [ACCOUNTS_KEY] });
      void queries.invalidateQueries({ queryKey: [ACCOUNT_KEY, account.id] });
    }
  };
  const reset = () => {
    setResult(null);
    setRefusal(null);
  };
  return { result, refusal, busy, charge, reset };
}
