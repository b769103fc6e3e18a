import { Injectable } from '@nestjs/common';
import type { TenantId } from '@malipo/common';
import type { DiscrepancyFact } from '../domain';
import { DiscrepanciesRepository } from '../infrastructure/discrepancies.repository';
import { LedgerCheckRepository } from './ledger-check.repository';

export interface LedgerCheckResult {
  balanceMismatches: number;
  postingMismatches: number;
  unbalancedJournals: number;
}

/**
 * The nightly proof that the ledger adds up, per shop: every balance is the sum of its entries,
 * every succeeded deposit is posted exactly once (and a reversed one reversed once), every journal
 * sums to zero. Each difference opens one discrepancy (the same difference found again does not
 * open a second one).
 */
@Injectable()
export class LedgerCheckService {
  constructor(
    private readonly checks: LedgerCheckRepository,
    private readonly discrepancies: DiscrepanciesRepository,
  ) {}

  async check(tenantId: TenantId): Promise<LedgerCheckResult> {
    const [balances, postings, journals] = await Promise.all([
      this.checks.balanceMismatches(tenantId),
      this.checks.postingMismatches(tenantId),
      this.checks.unbalancedJournals(tenantId),
    ]);
    const facts: DiscrepancyFact[] = [
      ...balances.map((b) => ({
        kind: 'ledger_balance_mismatch' as const,
        paymentId: null,
        attemptId: null,
        subject: `account:${b.accountId}:${b.balance}:${b.sumOfEntries}`,
        evidence: { ...b },
      })),
      ...postings.map((p) => ({
        kind: 'ledger_deposit_unposted' as const,
        paymentId: p.paymentId,
        attemptId: null,
        subject: `payment:${p.paymentId}:${p.deposits}:${p.reversals}`,
        evidence: { ...p },
      })),
      ...journals.map((j) => ({
        kind: 'ledger_journal_unbalanced' as const,
        paymentId: null,
        attemptId: null,
        subject: `journal:${j.journalId}`,
        evidence: { ...j },
      })),
    ];
    const db = this.checks.db;
    for (const fact of facts) await this.discrepancies.open(db, tenantId, fact);
    return {
      balanceMismatches: balances.length,
      postingMismatches: postings.length,
      unbalancedJournals: journals.length,
    };
  }
}
