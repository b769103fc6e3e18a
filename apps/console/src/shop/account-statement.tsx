import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import {
  entryChange,
  entryLabel,
  entrySource,
  joinPages,
  statementCsvHref,
  type StatementEntry,
} from '../shared/accounts';
import { accountStatement, STATEMENT_KEY } from '../shared/accounts-api';
import { cols, DataTable } from '../shared/data-table';
import { formatMoney, formatTime } from '../shared/format';

/** Every entry of the account, newest first, a page at a time ("Load more"), and its CSV. */
export function AccountStatement({ accountId }: { accountId: string }) {
  const pages = useInfiniteQuery({
    queryKey: [STATEMENT_KEY, accountId],
    queryFn: ({ pageParam }) => accountStatement(accountId, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = joinPages(pages.data?.pages ?? []);
  return (
    <section aria-labelledby="statement-title">
      <div className="row">
        <h2 id="statement-title">Statement</h2>
        <a href={statementCsvHref(accountId)} download>
          Download CSV
        </a>
      </div>
      {pages.isError && (
        <p role="alert" className="error">
          Could not load the statement.
        </p>
      )}
      <DataTable
        label="Statement"
        rows={rows}
        rowKey={(e) => e.id}
        empty={pages.isPending ? 'Loading…' : 'No entries yet.'}
        columns={cols<StatementEntry>([
          ['When', (e) => formatTime(e.at)],
          ['What', (e) => entryLabel(e.type)],
          ['Change', entryChange],
          ['Balance after', (e) => formatMoney(e.balanceAfter)],
          ['Receipt or order', entrySource],
          [
            'Payment',
            (e) => (e.paymentId ? <Link to={`/shop/payments/${e.paymentId}`}>Open</Link> : '—'),
          ],
        ])}
      />
      {pages.hasNextPage && (
        <button
          type="button"
          disabled={pages.isFetchingNextPage}
          onClick={() => void pages.fetchNextPage()}
        >
          Load more
        </button>
      )}
    </section>
  );
}
