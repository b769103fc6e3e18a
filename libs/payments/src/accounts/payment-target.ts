import { Injectable } from '@nestjs/common';
import { ValidationError, type TenantId } from '@malipo/common';
import { AccountsRepository } from './accounts.repository';
import { accountNotFound, depositOutOfLimits } from './account.errors';
import { depositLimitBreach, depositOrderRef } from './ledger-rules';

/** What a payment pays for: an order, or a deposit into a customer account. */
export interface PaymentTarget {
  orderRef: string;
  accountId: string | null;
}

/**
 * Checks what `POST /v1/payments` names exactly one of: an order, or an active account of the
 * shop with an amount inside the shop's deposit limits. A deposit gets an order reference of its
 * own (the account's code and `suffix`), so any number of deposits may follow one another.
 */
@Injectable()
export class PaymentTargets {
  constructor(private readonly accounts: AccountsRepository) {}

  static checkOne(input: { orderRef?: string; accountId?: string }): void {
    if ((input.orderRef === undefined) === (input.accountId === undefined)) {
      throw new ValidationError(
        'Give exactly one of orderRef (a sale) or accountId (a deposit)',
        { field: 'orderRef' },
        'PAYMENT.TARGET_REQUIRED',
      );
    }
  }

  async resolve(
    tenantId: TenantId,
    input: { orderRef?: string; accountId?: string; amount: number },
    suffix: string,
  ): Promise<PaymentTarget> {
    PaymentTargets.checkOne(input);
    if (input.orderRef !== undefined) return { orderRef: input.orderRef, accountId: null };
    const account = await this.accounts.find(this.accounts.db, tenantId, input.accountId ?? '');
    if (!account || account.status !== 'active') throw accountNotFound();
    const limits = await this.accounts.depositLimits(tenantId);
    const breach = limits ? depositLimitBreach(limits, input.amount) : null;
    if (limits && breach) throw depositOutOfLimits(breach, limits);
    return { orderRef: depositOrderRef(account.code, suffix), accountId: account.id };
  }
}
