import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { TenantId } from '@malipo/common';
import { ChannelsRepository } from '@malipo/db';
import { parseC2bPayment, type C2bPayment } from '@malipo/daraja';
import type { PaymentUnitOfWork } from '../application/payment.service';
import { PaymentsRepository } from '../infrastructure/payments.repository';
import {
  ProcessDarajaInboxService,
  type C2bConfirmationHandler,
} from '../results/process-daraja-inbox.service';
import type { HandleOutcome } from '../results/result-handler.service';
import { IncomingPaymentsBus } from './incoming-payments.bus';
import { IncomingPaymentsRepository, type IncomingStatus } from './incoming-payments.repository';

/**
 * A C2B confirmation becomes an incoming payment. Its receipt is claimed first (unique, shared
 * rule with STK: upper case), so a second copy changes nothing. When the account reference names
 * exactly one unpaid order of the channel with the same amount, that payment is settled through
 * the one path with the C2B receipt; a prompt still out for it then ends as a second receipt
 * (`double_payment`) or a stale outcome, never a second success.
 */
@Injectable()
export class C2bConfirmationService implements C2bConfirmationHandler, OnModuleInit {
  constructor(
    private readonly inbox: ProcessDarajaInboxService,
    private readonly channels: ChannelsRepository,
    private readonly incoming: IncomingPaymentsRepository,
    private readonly payments: PaymentsRepository,
    private readonly bus: IncomingPaymentsBus,
  ) {}

  onModuleInit(): void {
    this.inbox.registerC2b(this);
  }

  async handle(
    uow: PaymentUnitOfWork,
    tenantId: TenantId,
    channelId: string,
    body: unknown,
  ): Promise<HandleOutcome> {
    const parsed = parseC2bPayment(body);
    if (!parsed.ok) return { state: 'invalid', note: parsed.reason };
    const c2b = parsed.value;
    const channel = await this.channels.findById(tenantId, channelId, uow.tx);
    if (!channel || ![channel.partyB, channel.shortcode].includes(c2b.shortcode)) {
      return { state: 'invalid', note: 'BusinessShortCode is not this channel' };
    }
    const row = await this.incoming.insert(uow.tx, tenantId, {
      channelId,
      receipt: c2b.receipt,
      amount: c2b.amount,
      billRef: c2b.billRef,
      msisdn: c2b.msisdn,
      payerName: c2b.payerName,
      transactedAt: c2b.transactedAt,
      source: 'c2b',
      status: 'unmatched',
      paymentId: null,
    });
    if (!row) return { state: 'processed', note: 'duplicate' };
    const settledBy = await this.settle(uow, tenantId, channelId, c2b);
    if (!settledBy) {
      return { state: 'processed', note: 'unmatched', afterCommit: () => this.bus.publish(row) };
    }
    await this.incoming.settle(uow.tx, tenantId, row.id, settledBy.status, settledBy.paymentId);
    return { state: 'processed', note: settledBy.status };
  }

  /** The payment this money settles, if exactly one is named (or STK already recorded it). */
  private async settle(
    uow: PaymentUnitOfWork,
    tenantId: TenantId,
    channelId: string,
    c2b: C2bPayment,
  ): Promise<{ status: IncomingStatus; paymentId: string } | undefined> {
    const known = await this.payments.findByReceipt(uow.tx, c2b.receipt);
    if (known) {
      return known.tenantId === tenantId ? { status: 'matched', paymentId: known.id } : undefined;
    }
    const candidates = await this.incoming.openOrdersFor(uow.tx, tenantId, {
      channelId,
      billRef: c2b.billRef,
      amount: c2b.amount,
    });
    const [payment] = candidates;
    if (candidates.length !== 1 || !payment.currentAttemptId) return undefined;
    const result = await uow.apply(
      tenantId,
      payment.id,
      {
        type: 'paid',
        attemptId: payment.currentAttemptId,
        receipt: c2b.receipt,
        amount: c2b.amount,
        paidAt: c2b.transactedAt.toISOString(),
      },
      { source: 'callback', evidence: { c2b: { receipt: c2b.receipt, billRef: c2b.billRef } } },
    );
    return result.transition.kind === 'applied'
      ? { status: 'matched', paymentId: payment.id }
      : undefined;
  }
}
