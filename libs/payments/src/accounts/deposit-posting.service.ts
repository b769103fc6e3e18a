import { Injectable } from '@nestjs/common';
import type { TenantId } from '@malipo/common';
import type { Tx } from '@malipo/db';
import { DiscrepanciesRepository } from '../infrastructure/discrepancies.repository';
import type { PaymentRow } from '../infrastructure/payment-rows';
import { LedgerRepository, type Posted } from './ledger.repository';
import { depositPlan, reversalPlan, shortfallOf } from './ledger-rules';

/**
 * The ledger's side of a payment change, posted by PaymentService in the change's own
 * transaction: a deposit when a payment to an account succeeds, its opposite when that payment
 * is reversed. The unique (payment, kind) index makes a second posting abort the transaction.
 */
@Injectable()
export class DepositPosting {
  constructor(
    private readonly ledger: LedgerRepository,
    private readonly discrepancies: DiscrepanciesRepository,
  ) {}

  /** True when `payment`, as a change has just left it, moves an account's balance. */
  static posts(payment: Pick<PaymentRow, 'accountId' | 'status'>): boolean {
    return payment.accountId !== null && ['succeeded', 'reversed'].includes(payment.status);
  }

  async afterChange(tx: Tx, tenantId: TenantId, payment: PaymentRow): Promise<Posted | undefined> {
    if (!DepositPosting.posts(payment) || !payment.accountId) return undefined;
    const deposited = payment.paidAmount ?? payment.amount;
    const source = {
      paymentId: payment.id,
      orderRef: payment.orderRef,
      receipt: payment.receipt,
      terminalId: payment.terminalId,
    };
    if (payment.status === 'succeeded') {
      return this.mustPost(tx, tenantId, payment.accountId, depositPlan(deposited), source);
    }
    const balance = await this.ledger.lockBalance(tx, tenantId, payment.accountId);
    const plan = reversalPlan(deposited, balance);
    const posted = await this.mustPost(tx, tenantId, payment.accountId, plan, source);
    const shortfall = shortfallOf(plan);
    if (shortfall > 0) {
      await this.discrepancies.open(tx, tenantId, {
        kind: 'account_reversal_shortfall',
        paymentId: payment.id,
        attemptId: null,
        receipt: payment.receipt,
        evidence: { accountId: payment.accountId, deposited, balance, shortfall },
      });
    }
    return posted;
  }

  private async mustPost(
    tx: Tx,
    tenantId: TenantId,
    accountId: string,
    plan: ReturnType<typeof depositPlan>,
    source: Parameters<LedgerRepository['post']>[2]['source'],
  ): Promise<Posted> {
    const posted = await this.ledger.post(tx, tenantId, {
      accountId,
      plan,
      source,
      requireActive: false,
    });
    if (!posted) throw new Error(`account ${accountId}: ${plan.kind} could not be posted`);
    return posted;
  }
}
