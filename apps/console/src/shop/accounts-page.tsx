import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { accountName, type AccountView } from '../shared/accounts';
import { ACCOUNTS_KEY, createAccount, listAccounts } from '../shared/accounts-api';
import { ErrorNote } from '../shared/choice';
import { cols, DataTable } from '../shared/data-table';
import { formatMoney, maskPhone } from '../shared/format';
import { useAction } from '../shared/use-action';
import { AccountForm } from './account-form';

/** The shop's customer accounts: search and cursor in the URL, balances, a new account. */
export function AccountsPage() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const q = params.get('q') ?? undefined;
  const cursor = params.get('cursor') ?? undefined;
  const page = useQuery({
    queryKey: [ACCOUNTS_KEY, { q, cursor }],
    queryFn: () => listAccounts({ q, cursor, limit: 25 }),
  });
  const create = useAction(createAccount, [ACCOUNTS_KEY], (a) => {
    void navigate(`/shop/accounts/${a.id}`);
  });
  const go = (next: { q?: string; cursor?: string }) => {
    const p = new URLSearchParams();
    if (next.q) p.set('q', next.q);
    if (next.cursor) p.set('cursor', next.cursor);
    setParams(p);
  };

  return (
    <section aria-labelledby="accounts-title">
      <h1 id="accounts-title">Accounts</h1>
      <Search key={q ?? ''} value={q ?? ''} onSearch={(text) => go({ q: text })} />
      {page.isError && (
        <p role="alert" className="error">
          Could not load accounts.
        </p>
      )}
      <DataTable
        label="Accounts"
        rows={page.data?.data ?? []}
        rowKey={(a) => a.id}
        empty={page.isPending ? 'Loading…' : q ? 'No account matches.' : 'No accounts yet.'}
        columns={cols<AccountView>([
          ['Customer', (a) => <Link to={`/shop/accounts/${a.id}`}>{accountName(a)}</Link>],
          ['Phone', (a) => (a.phone ? maskPhone(a.phone) : '—')],
          ['Status', (a) => (a.status === 'active' ? 'Active' : 'Closed')],
          ['Balance', (a) => formatMoney(a.balance)],
        ])}
      />
      <div className="row">
        {cursor && (
          <button type="button" onClick={() => go({ q })}>
            First page
          </button>
        )}
        {page.data?.nextCursor && (
          <button type="button" onClick={() => go({ q, cursor: page.data?.nextCursor ?? '' })}>
            Next page
          </button>
        )}
      </div>
      <h2>New account</h2>
      <AccountForm busy={create.isPending} onAdd={(body) => create.mutateAsync(body)} />
      <ErrorNote errors={[create.error]} />
    </section>
  );
}

/** Name, phone or the shop's customer id; applying it starts at page one. */
function Search(props: { value: string; onSearch: (text: string) => void }) {
  const [text, setText] = useState(props.value);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onSearch(text.trim());
  };
  return (
    <form className="panel filters" role="search" aria-label="Find accounts" onSubmit={submit}>
      <div>
        <label htmlFor="acc-q">Name, phone or customer id</label>
        <input id="acc-q" value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      <button type="submit">Search</button>
    </form>
  );
}
