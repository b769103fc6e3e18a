import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { LedgerCheckRepository, LedgerCheckService } from '@malipo/payments';

export interface LedgerCheckSummary {
  shops: number;
  /** Shops where at least one difference was found (each opened a discrepancy). */
  withDifferences: string[];
}

/**
 * Nightly (02:15 EAT), for every shop with customer accounts: every balance equals the sum of
 * its entries, every succeeded deposit is posted exactly once, every journal sums to zero
 * (LedgerCheckService). Every replica may run it: the check only reads, and a discrepancy's
 * dedupe key makes a second opener of the same difference a no-op. Operators' reconciliation
 * runs check the same thing on demand.
 */
@Injectable()
export class LedgerCheckJob {
  private readonly logger = new Logger(LedgerCheckJob.name);

  constructor(
    private readonly shops: LedgerCheckRepository,
    private readonly ledger: LedgerCheckService,
  ) {}

  @Cron('15 2 * * *', { name: 'ledger-check', timeZone: 'Africa/Nairobi' })
  async nightly(): Promise<void> {
    const summary = await this.checkAll();
    this.logger.log(summary, 'nightly ledger check');
  }

  async checkAll(): Promise<LedgerCheckSummary> {
    const shopIds = await this.shops.shopsWithAccounts();
    const withDifferences: string[] = [];
    for (const shopId of shopIds) {
      const found = await this.ledger.check(shopId);
      const differences =
        found.balanceMismatches + found.postingMismatches + found.unbalancedJournals;
      if (differences === 0) continue;
      withDifferences.push(shopId);
      this.logger.error({ shopId, ...found }, 'ledger does not add up');
    }
    return { shops: shopIds.length, withDifferences };
  }
}
