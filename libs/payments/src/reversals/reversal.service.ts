import { Inject, Injectable } from '@nestjs/common';
import { AuditLog, type AuditRecord } from '@malipo/audit';
import { ConflictError, ForbiddenError, NotFoundError, type TenantId } from '@malipo/common';
import {
  ChannelsRepository,
  DRIZZLE,
  TenantsRepository,
  isUniqueViolation,
  type Db,
} from '@malipo/db';
import { ResultApiClient, type ResultApiSubmission } from '@malipo/daraja';
import { PaymentService } from '../application/payment.service';
import { DiscrepanciesRepository } from '../infrastructure/discrepancies.repository';
import { PaymentsRepository } from '../infrastructure/payments.repository';
import { ResultSubmissionService } from '../results/result-submission.service';
import { checkApprover, type Approver } from './reversal-policy';
import { ReversalsRepository, type ReversalRow } from './reversals.repository';
import { AccountsRepository } from '../accounts/accounts.repository';
import { insufficientBalance } from '../accounts/account.errors';

const notFound = () => new NotFoundError('Reversal not found', 'REVERSAL.NOT_FOUND');

/**
 * Reversals with two people (DESIGN "After the prompt"): an owner asks, a second, different key
 * approves, and only then is the Daraja Reversal sent. Its result moves the payment through
 * `PaymentService.apply` (ReversalResultFollowUp).
 */
/** A reversal's audit record: which payment, how much, why (never the initiator's secret). */
const reversalRecord = (action: string, row: ReversalRow, note?: string): AuditRecord => ({
  action,
  subject: { reversalId: row.id, paymentId: row.paymentId },
  data: { amount: row.amount, receipt: row.receipt, note: note ?? null },
});

@Injectable()
export class ReversalService {
  constructor(
    @Inject(DRIZZLE) private readonly db: Db,
    private readonly reversals: ReversalsRepository,
    private readonly payments: PaymentsRepository,
    private readonly channels: ChannelsRepository,
    private readonly tenants: TenantsRepository,
    private readonly submitter: ResultSubmissionService,
    private readonly client: ResultApiClient,
    private readonly paymentService: PaymentService,
    private readonly discrepancies: DiscrepanciesRepository,
    private readonly accounts: AccountsRepository,
    private readonly audit: AuditLog,
  ) {}

  async request(
    tenantId: TenantId,
    paymentId: string,
    r: { reason: string; keyId: string },
  ): Promise<ReversalRow> {
    const payment = await this.payments.findPayment(this.db, tenantId, paymentId);
    if (!payment) throw new NotFoundError('Payment not found', 'PAYMENT.NOT_FOUND');
    if (payment.status !== 'succeeded' || !payment.receipt) {
      throw new ConflictError(
        `A ${payment.status} payment cannot be reversed`,
        'REVERSAL.NOT_REVERSIBLE',
      );
    }
    await this.checkAccountCovers(tenantId, payment);
    const channel = await this.channels.findById(tenantId, payment.channelId);
    if (channel) this.submitter.initiatorOf(channel);
    try {
      const receipt = payment.receipt;
      return await this.db.transaction(async (tx) => {
        const row = await this.reversals.create(tx, tenantId, {
          paymentId,
          reason: r.reason,
          // Always the full amount: partial reversal of STK receipts is not supported (docs).
          amount: payment.paidAmount ?? payment.amount,
          receipt,
          requestedBy: r.keyId,
        });
        await this.audit.append(tx, tenantId, reversalRecord('reversal.requested', row, r.reason));
        return row;
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new ConflictError('This payment already has a reversal', 'REVERSAL.ALREADY_REQUESTED');
    }
  }

  /**
   * A deposit whose money was spent from the account is not reversed: refused up front (409), at
   * the request and again at approval. If Daraja reverses it anyway, the ledger books the part
   * the balance cannot cover as owed and opens a discrepancy (DepositPosting).
   */
  private async checkAccountCovers(
    tenantId: TenantId,
    payment: { accountId: string | null; paidAmount: number | null; amount: number },
  ): Promise<void> {
    if (!payment.accountId) return;
    const account = await this.accounts.find(this.db, tenantId, payment.accountId);
    const amount = payment.paidAmount ?? payment.amount;
    if (account && account.balance < amount) throw insufficientBalance(account.balance, amount);
  }

  async policy(tenantId: TenantId): Promise<'owner_or_ops' | 'ops'> {
    const tenant = await this.tenants.findById(tenantId);
    if (!tenant) throw new NotFoundError('Tenant not found', 'TENANT.NOT_FOUND');
    return tenant.reversalApprovers;
  }

  async setPolicy(tenantId: TenantId, approvers: 'owner_or_ops' | 'ops'): Promise<void> {
    const row = await this.db.transaction(async (tx) => {
      const updated = await this.tenants.setReversalApprovers(tenantId, approvers, tx);
      if (updated) {
        await this.audit.append(tx, tenantId, {
          action: 'reversal.policy_set',
          subject: { shopId: tenantId },
          data: { approvers },
        });
      }
      return updated;
    });
    if (!row) throw new NotFoundError('Tenant not found', 'TENANT.NOT_FOUND');
  }

  async list(tenantId: TenantId, paymentId: string): Promise<ReversalRow[]> {
    const payment = await this.payments.findPayment(this.db, tenantId, paymentId);
    if (!payment) throw new NotFoundError('Payment not found', 'PAYMENT.NOT_FOUND');
    return this.reversals.listForPayment(this.db, tenantId, paymentId);
  }

  async reject(tenantId: TenantId, id: string, who: Approver, note?: string): Promise<ReversalRow> {
    if (who.role === 'terminal') throw new ForbiddenError('Only an owner or operator may reject');
    return this.db.transaction(async (tx) => {
      const rev = await this.reversals.lock(tx, tenantId, id);
      if (!rev) throw notFound();
      if (rev.state !== 'pending_approval') {
        throw new ConflictError(
          `The reversal is ${rev.state}, not pending approval`,
          'REVERSAL.NOT_PENDING',
        );
      }
      const rejected = await this.reversals.update(tx, tenantId, id, {
        state: 'rejected',
        ...decision(who, note),
      });
      await this.audit.append(tx, tenantId, reversalRecord('reversal.rejected', rejected, note));
      return rejected;
    });
  }

  /** Approves, then sends the Daraja Reversal; the answer decides sent, failed or unknown. */
  async approve(
    tenantId: TenantId,
    id: string,
    who: Approver,
    note?: string,
  ): Promise<ReversalRow> {
    const tenant = await this.tenants.findById(tenantId);
    const pending = await this.reversals.find(this.db, tenantId, id);
    if (!pending) throw notFound();
    // Everything that can refuse is checked before the reversal leaves pending_approval.
    const sender = await this.senderFor(tenantId, pending);
    const approved = await this.db.transaction(async (tx) => {
      const rev = await this.reversals.lock(tx, tenantId, id);
      if (!rev) throw notFound();
      checkApprover(rev, who, tenant?.reversalApprovers ?? 'owner_or_ops');
      const sending = await this.reversals.update(tx, tenantId, id, {
        state: 'sending',
        ...decision(who, note),
      });
      await this.audit.append(tx, tenantId, reversalRecord('reversal.approved', sending, note));
      return sending;
    });
    return this.afterAnswer(tenantId, approved, await sender(approved));
  }

  /** The channel, its opened credentials and initiator, ready to send this reversal. */
  private async senderFor(
    tenantId: TenantId,
    rev: ReversalRow,
  ): Promise<(rev: ReversalRow) => Promise<ResultApiSubmission>> {
    const payment = await this.payments.findPayment(this.db, tenantId, rev.paymentId);
    const channel = payment && (await this.channels.findById(tenantId, payment.channelId));
    if (!channel) throw notFound();
    await this.checkAccountCovers(tenantId, payment);
    const initiator = this.submitter.initiatorOf(channel);
    const creds = this.submitter.credentialsOf(channel);
    return async (approved) => {
      const { submission } = await this.submitter.submit(
        tenantId,
        channel,
        { kind: 'reversal', paymentId: approved.paymentId, reversalId: approved.id },
        (urls) =>
          this.client.reversal(creds, initiator, {
            transactionId: approved.receipt,
            amount: approved.amount,
            remarks: approved.reason,
            ...urls,
          }),
      );
      return submission;
    };
  }

  /** Only a reversal still `sending` moves: its result may already have been applied. */
  private afterAnswer(
    tenantId: TenantId,
    rev: ReversalRow,
    submission: ResultApiSubmission,
  ): Promise<ReversalRow> {
    return this.paymentService.transaction(async ({ tx }) => {
      const current = await this.reversals.lock(tx, tenantId, rev.id);
      if (!current || current.state !== 'sending') return current ?? rev;
      if (submission.kind === 'accepted') {
        return this.reversals.update(tx, tenantId, rev.id, { state: 'sent' });
      }
      const state = submission.kind === 'refused' ? 'failed' : 'unknown';
      await this.discrepancies.open(tx, tenantId, {
        kind: state === 'failed' ? 'reversal_failed' : 'reversal_unanswered',
        paymentId: rev.paymentId,
        attemptId: null,
        receipt: rev.receipt,
        evidence: { reversalId: rev.id, reason: submission.reason, message: submission.message },
      });
      return this.reversals.update(tx, tenantId, rev.id, {
        state,
        resultCode: submission.reason,
        resultDesc: submission.message.slice(0, 500),
      });
    });
  }
}

function decision(who: Approver, note?: string): Partial<ReversalRow> {
  return {
    decidedBy: who.keyId,
    decidedRole: who.role,
    decisionNote: note ?? null,
    decidedAt: new Date(),
  };
}
