import { Injectable } from '@nestjs/common';
import type { TenantId } from '@malipo/common';
import { csvField } from '../reconciliation/reconcile-report';
import { AccountsRepository } from './accounts.repository';
import { accountNotFound } from './account.errors';
import { StatementRepository, type StatementEntry } from './statement.repository';

const CSV_PAGE = 1_000;
export const STATEMENT_CSV_HEADER = [
  'id',
  'at',
  'type',
  'amount',
  'balanceBefore',
  'balanceAfter',
  'paymentId',
  'orderRef',
  'receipt',
  'journalId',
];

const csvLine = (e: StatementEntry) =>
  [
    e.id,
    e.at,
    e.type,
    e.amount,
    e.balanceBefore,
    e.balanceAfter,
    e.paymentId,
    e.orderRef,
    e.receipt,
    e.journalId,
  ]
    .map(csvField)
    .join(',');

/** An account's statement: newest first, a page at a time, or all of it as CSV. */
@Injectable()
export class StatementService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly entries: StatementRepository,
  ) {}

  async page(
    tenantId: TenantId,
    accountId: string,
    q: { limit: number; cursor?: string },
  ): Promise<{ data: StatementEntry[]; nextCursor: string | null }> {
    await this.mustExist(tenantId, accountId);
    const beforeId = q.cursor && /^\d+$/.test(q.cursor) ? Number(q.cursor) : undefined;
    const data = await this.entries.page(tenantId, accountId, { beforeId, limit: q.limit });
    const nextCursor = data.length === q.limit ? data[data.length - 1].id : null;
    return { data, nextCursor };
  }

  /** Checked before the CSV stream starts, so a wrong id is a 404 and not an empty file. */
  async mustExist(tenantId: TenantId, accountId: string): Promise<void> {
    if (!(await this.accounts.find(this.accounts.db, tenantId, accountId))) {
      throw accountNotFound();
    }
  }

  async *csv(tenantId: TenantId, accountId: string): AsyncGenerator<string> {
    yield `${STATEMENT_CSV_HEADER.join(',')}\r\n`;
    let beforeId: number | undefined;
    for (;;) {
      const page = await this.entries.page(tenantId, accountId, { beforeId, limit: CSV_PAGE });
      if (!page.length) return;
      yield page.map((e) => `${csvLine(e)}\r\n`).join('');
      if (page.length < CSV_PAGE) return;
      beforeId = Number(page[page.length - 1].id);
    }
  }
}
