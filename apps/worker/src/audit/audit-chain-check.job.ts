import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { AuditRepository, AuditVerifier, runAsActor, systemActor } from '@malipo/audit';
import { asTenantId } from '@malipo/common';
import { DiscrepanciesRepository } from '@malipo/payments';

/**
 * Nightly (02:30 EAT) every shop's audit chain is recomputed from its genesis and its signed
 * checkpoints checked (AuditVerifier); a broken one
 * opens an `audit_chain_broken` discrepancy for operators. Every replica runs it: the
 * discrepancy's dedupe key makes the second opener a no-op, and the check only reads.
 */
@Injectable()
export class AuditChainCheckJob {
  private readonly logger = new Logger(AuditChainCheckJob.name);

  constructor(
    private readonly repo: AuditRepository,
    private readonly verifier: AuditVerifier,
    private readonly discrepancies: DiscrepanciesRepository,
  ) {}

  @Cron('30 2 * * *', { name: 'audit-chain-check', timeZone: 'Africa/Nairobi' })
  async nightly(): Promise<void> {
    await runAsActor(systemActor('audit-chain-check'), () => this.checkAll());
  }

  /** Returns the shops whose chain is broken. */
  async checkAll(): Promise<string[]> {
    const broken: string[] = [];
    for (const shopId of await this.repo.shopIds()) {
      const verdict = await this.verifier.verify(shopId);
      if (verdict.valid) continue;
      broken.push(shopId);
      this.logger.error({ shopId, ...verdict }, 'audit chain broken');
      await this.discrepancies.open(this.repo.db, asTenantId(shopId), {
        kind: 'audit_chain_broken',
        paymentId: null,
        attemptId: null,
        evidence: { detail: `audit chain broken at seq ${verdict.firstBadSeq}`, ...verdict },
      });
    }
    return broken;
  }
}
