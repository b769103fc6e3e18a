import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { accountName, type AccountView } from '../shared/accounts';
import { ACCOUNTS_KEY, listAccounts } from '../shared/accounts-api';
import { formatMoney } from '../shared/format';

const SHOWN = 6;
const TYPING_PAUSE_MS = 250;

/** The typed search, once the cashier pauses: one request per word, not per key. */
function useSettled(text: string): string {
  const [settled, setSettled] = useState(text);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(text.trim()), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  return settled;
}

/** Finds a customer's account by name, phone or the shop's customer id, and picks one. */
export function AccountPicker(props: {
  value: AccountView | null;
  onChange: (account: AccountView) => void;
  problem?: string | null;
}) {
  const [text, setText] = useState('');
  const q = useSettled(text);
  const found = useQuery({
    queryKey: [ACCOUNTS_KEY, { q, limit: SHOWN }],
    queryFn: () => listAccounts({ q: q || undefined, limit: SHOWN }),
  });
  const active = (found.data?.data ?? []).filter((a) => a.status === 'active');
  const chosen = props.value;
  const rows = chosen && !active.some((a) => a.id === chosen.id) ? [chosen, ...active] : active;
  return (
    <fieldset className="accounts-pick">
      <legend>Account</legend>
      <label htmlFor="account-q">Find account</label>
      <input
        id="account-q"
        type="search"
        autoComplete="off"
        placeholder="Name, phone or customer id"
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <ul className="plain" aria-label="Accounts found">
        {rows.map((a) => (
          <li key={a.id}>
            <label className="inline">
              <input
                type="radio"
                name="account"
                checked={chosen?.id === a.id}
                onChange={() => props.onChange(a)}
              />{' '}
              {accountName(a)} · {formatMoney(a.balance)}
            </label>
          </li>
        ))}
        {rows.length === 0 && <li>{found.isPending ? 'Looking…' : 'No account matches.'}</li>}
      </ul>
      {props.problem && (
        <p role="alert" className="error">
          {props.problem}
        </p>
      )}
    </fieldset>
  );
}
