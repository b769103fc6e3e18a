import { Injectable } from '@nestjs/common';
import { AuditLog } from '@malipo/audit';
import type { TenantId } from '@malipo/common';
import type { DbOrTx } from '@malipo/db';
import {
  IdempotencyService,
  requestHash,
  type IdempotencyScope,
} from '../application/idempotency.service';
import type { IdempotentAnswer } from '../application/initiate-payment.service';
import { AccountBalanceBus } from './account-balance.bus';
import { chargeRecord } from './account-audit';
import { AccountsRepository } from './accounts.repository';
import { accountClosed, accountNotFound, insufficientBalance } from './account.errors';
import { LedgerRepository, type Posted } from './ledger.repository';
import { chargePlan } from './ledger-rules';

export interface ChargeView {
  journalId: string;
  accountId: string;
  amount: number;
  orderRef: string;
  balanceBefore: number;
  balanceAfter: number;
  at: string;
}

export interface ChargeRequest {
  tenantId: TenantId;
  terminalId: string | null;
  accountId: string;
  key: string;
  amount: number;
  orderRef: string;
}

const toChargeView = (p: Posted, orderRef: string): ChargeView => ({
  journalId: p.journalId,
  accountId: p.accountId,
  amount: -p.amount,
  orderRef,
  balanceBefore: p.balanceBefore,
  balanceAfter: p.balanceAfter,
  at: p.at.toISOString(),
});

/**
 * A sale paid from the balance, once per Idempotency-Key: the debit and the key's stored answer
 * commit together, so a crash after the debit replays it and never debits twice.
 */
@Injectable()
export class ChargeService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly ledger: LedgerRepository,
    private readonly idempotency: IdempotencyService,
    private readonly balances: AccountBalanceBus,
    private readonly audit: AuditLog,
  ) {}

  async charge(r: ChargeRequest): Promise<IdempotentAnswer> {
    const scope: IdempotencyScope = { tenantId: r.tenantId, scope: 'accounts.charge', key: r.key };
    const hash = requestHash({
      accountId: r.accountId,
      amount: r.amount,
      orderRef: r.orderRef,
      terminalId: r.terminalId,
    });
    const start = await this.idempotency.begin(scope, hash);
    if (start.kind === 'replay') return { status: start.status, body: start.body, replayed: true };
    let posted: Posted;
    try {
      posted = await this.accounts.db.transaction(async (tx) => {
        const done = await this.ledger.post(tx, r.tenantId, {
          accountId: r.accountId,
          plan: chargePlan(r.amount),
          source: { orderRef: r.orderRef, terminalId: r.terminalId },
          requireActive: true,
        });
        if (!done) throw await this.refusal(tx, r);
        await this.idempotency.complete(scope, 201, toChargeView(done, r.orderRef), tx);
        await this.audit.append(tx, r.tenantId, chargeRecord(done, r.orderRef));
        return done;
      });
    } catch (error) {
      // Nothing was debited: the key is free for the cashier's next try.
      await this.idempotency.release(scope);
      throw error;
    }
    this.balances.publish(posted);
    return { status: 201, body: toChargeView(posted, r.orderRef), replayed: false };
  }

  /** Why the debit did not happen, read after the fact (the statement writes nothing then). */
  private async refusal(tx: DbOrTx, r: ChargeRequest): Promise<Error> {
    const account = await this.accounts.find(tx, r.tenantId, r.accountId);
    if (!account) return accountNotFound();
    if (account.status !== 'active') return accountClosed();
    return insufficientBalance(account.balance, r.amount);
  }
}
