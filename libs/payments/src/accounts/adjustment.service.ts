import { Injectable } from '@nestjs/common';
import { AuditLog } from '@malipo/audit';
import { ConflictError, ForbiddenError, type TenantId } from '@malipo/common';
import { TenantsRepository } from '@malipo/db';
import { checkApprover, type Approver } from '../reversals/reversal-policy';
import { AccountBalanceBus } from './account-balance.bus';
import { adjustmentRecord } from './account-audit';
import { AccountsRepository } from './accounts.repository';
import { accountNotFound, adjustmentNotFound, insufficientBalance } from './account.errors';
import { AdjustmentsRepository, type AdjustmentRow } from './adjustments.repository';
import { LedgerRepository, type Posted } from './ledger.repository';
import { adjustmentPlan } from './ledger-rules';

/**
 * Corrections of a balance with two people, as reversals: an owner asks (amount and reason), a
 * second, different key approves under the shop's reversal approver policy, and only then is the
 * journal posted. An approval that would take the balance below zero is refused (409) and the
 * adjustment stays pending.
 */
@Injectable()
export class AdjustmentService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly adjustments: AdjustmentsRepository,
    private readonly ledger: LedgerRepository,
    private readonly tenants: TenantsRepository,
    private readonly balances: AccountBalanceBus,
    private readonly audit: AuditLog,
  ) {}

  async request(
    tenantId: TenantId,
    accountId: string,
    r: { amount: number; reason: string; keyId: string },
  ): Promise<AdjustmentRow> {
    const db = this.accounts.db;
    if (!(await this.accounts.find(db, tenantId, accountId))) throw accountNotFound();
    return db.transaction(async (tx) => {
      const row = await this.adjustments.create(tx, tenantId, {
        accountId,
        amount: r.amount,
        reason: r.reason,
        requestedBy: r.keyId,
      });
      await this.audit.append(tx, tenantId, adjustmentRecord('adjustment.requested', row));
      return row;
    });
  }

  async list(tenantId: TenantId, accountId: string): Promise<AdjustmentRow[]> {
    const db = this.accounts.db;
    if (!(await this.accounts.find(db, tenantId, accountId))) throw accountNotFound();
    return this.adjustments.list(db, tenantId, accountId);
  }

  async approve(
    tenantId: TenantId,
    ids: { accountId: string; adjustmentId: string },
    who: Approver,
    note?: string,
  ): Promise<AdjustmentRow> {
    const tenant = await this.tenants.findById(tenantId);
    let posted: Posted | undefined;
    const row = await this.accounts.db.transaction(async (tx) => {
      const adj = await this.adjustments.lock(tx, tenantId, ids.accountId, ids.adjustmentId);
      if (!adj) throw adjustmentNotFound();
      checkApprover(adj, who, tenant?.reversalApprovers ?? 'owner_or_ops', 'ADJUSTMENT');
      posted = await this.ledger.post(tx, tenantId, {
        accountId: adj.accountId,
        plan: adjustmentPlan(adj.amount),
        source: { adjustmentId: adj.id },
        requireActive: false,
      });
      if (!posted) {
        const account = await this.accounts.find(tx, tenantId, adj.accountId);
        throw insufficientBalance(account?.balance ?? 0, -adj.amount);
      }
      const approved = await this.adjustments.update(tx, tenantId, adj.id, {
        state: 'approved',
        journalId: posted.journalId,
        ...decision(who, note),
      });
      await this.audit.append(tx, tenantId, adjustmentRecord('adjustment.approved', approved));
      return approved;
    });
    if (posted) this.balances.publish(posted);
    return row;
  }

  async reject(
    tenantId: TenantId,
    ids: { accountId: string; adjustmentId: string },
    who: Approver,
    note?: string,
  ): Promise<AdjustmentRow> {
    if (who.role === 'terminal') throw new ForbiddenError('Only an owner or operator may reject');
    return this.accounts.db.transaction(async (tx) => {
      const adj = await this.adjustments.lock(tx, tenantId, ids.accountId, ids.adjustmentId);
      if (!adj) throw adjustmentNotFound();
      if (adj.state !== 'pending_approval') {
        throw new ConflictError(
          `The adjustment is ${adj.state}, not pending approval`,
          'ADJUSTMENT.NOT_PENDING',
        );
      }
      const rejected = await this.adjustments.update(tx, tenantId, adj.id, {
        state: 'rejected',
        ...decision(who, note),
      });
      await this.audit.append(tx, tenantId, adjustmentRecord('adjustment.rejected', rejected));
      return rejected;
    });
  }
}

function decision(who: Approver, note?: string) {
  return {
    decidedBy: who.keyId,
    decidedRole: who.role,
    decisionNote: note ?? null,
    decidedAt: new Date(),
  };
}
