import { useState } from 'react';
import type { AccountView, AmountCheck } from '../shared/accounts';
import { AccountPicker } from './account-picker';
import { CheckedInput } from './checked-input';

/** Whose account and how much: the state both account forms at the till start from. */
export function useAccountAmount(check: (input: string) => AmountCheck) {
  const [account, setAccount] = useState<AccountView | null>(null);
  const [text, setText] = useState('');
  const [touched, setTouched] = useState(false);
  const amount = check(text);
  return {
    account,
    amount,
    touched,
    /** Shows every problem (on submit); returns the account and amount when both are right. */
    touch: (): { account: AccountView; amount: number } | null => {
      setTouched(true);
      return account && amount.ok ? { account, amount: amount.amount } : null;
    },
    fields: { touched, account, onAccount: setAccount, text, amount, onText: setText },
  };
}

/** The account picker and the amount, saying what is missing once the cashier tried to send. */
export function AccountAndAmount(props: {
  id: string;
  fields: ReturnType<typeof useAccountAmount>['fields'];
}) {
  const f = props.fields;
  return (
    <>
      <AccountPicker
        value={f.account}
        onChange={f.onAccount}
        problem={f.touched && !f.account ? 'Choose the customer’s account.' : null}
      />
      <CheckedInput
        id={`${props.id}-amount`}
        label="Amount"
        inputMode="numeric"
        value={f.text}
        problem={f.touched && !f.amount.ok ? f.amount.problem : null}
        onChange={f.onText}
      />
    </>
  );
}
