import { Injectable } from '@nestjs/common';
import { AuditLog } from '@malipo/audit';
import {
  AppConfig,
  ConflictError,
  NotFoundError,
  ValidationError,
  type TenantId,
} from '@malipo/common';
import { normalisePhone } from '@malipo/daraja';
import { PaymentService, type PaymentUnitOfWork } from '../application/payment.service';
import { PaymentsRepository } from '../infrastructure/payments.repository';
import type { PaymentStatus } from '../domain';
import type { PaymentRow } from '../infrastructure/payment-rows';
import {
  IncomingPaymentsRepository,
  UNPAID_STATUSES,
  type IncomingPaymentRow,
} from './incoming-payments.repository';

export interface AttachTarget {
  /** An existing payment of the shop... */
  paymentId?: string;
  /** ...or an order: its unpaid payment, or a new one (then `phone` is needed). */
  orderRef?: string;
  phone?: string;
  terminalId?: string | null;
}

/**
 * A person puts unmatched money on an order: the order's payment is settled with the C2B receipt
 * through the one path, or a payment is created for it and settled at once. One transaction, the
 * incoming row locked, so two cashiers cannot attach the same money twice.
 */
@Injectable()
export class AttachIncomingService {
  constructor(
    private readonly incoming: IncomingPaymentsRepository,
    private readonly repo: PaymentsRepository,
    private readonly payments: PaymentService,
    private readonly config: AppConfig,
    private readonly audit: AuditLog,
  ) {}

  attach(
    tenantId: TenantId,
    incomingId: string,
    target: AttachTarget,
  ): Promise<{ incoming: IncomingPaymentRow; payment: PaymentRow }> {
    return this.payments.transaction(async (uow) => {
      const inc = await this.incoming.lock(uow.tx, tenantId, incomingId);
      if (!inc) throw new NotFoundError('Incoming payment not found', 'INCOMING.NOT_FOUND');
      if (inc.status !== 'unmatched') {
        throw new ConflictError('This money is already on a payment', 'INCOMING.ALREADY_SETTLED');
      }
      if (await this.repo.findByReceipt(uow.tx, inc.receipt)) {
        throw new ConflictError('Another payment holds this receipt', 'PAYMENT.RECEIPT_IN_USE');
      }
      const payment = await this.target(uow, tenantId, inc, target);
      if (!UNPAID_STATUSES.includes(payment.status as PaymentStatus) || !payment.currentAttemptId) {
        throw new ConflictError(
          `A ${payment.status} payment cannot take this money`,
          'PAYMENT.ALREADY_PAID',
        );
      }
      if (payment.amount !== inc.amount) {
        throw new ConflictError(
          `The payment is for ${payment.amount}, the money is ${inc.amount}`,
          'INCOMING.AMOUNT_MISMATCH',
        );
      }
      const result = await uow.apply(
        tenantId,
        payment.id,
        {
          type: 'paid',
          attemptId: payment.currentAttemptId,
          receipt: inc.receipt,
          amount: inc.amount,
          paidAt: inc.transactedAt.toISOString(),
        },
        { source: 'cashier', evidence: { c2b: { receipt: inc.receipt, incomingId: inc.id } } },
      );
      const settled = await this.incoming.settle(uow.tx, tenantId, inc.id, 'attached', payment.id);
      // The payment's own change is audited by the one path; this records whose money it was.
      await this.audit.append(uow.tx, tenantId, {
        action: 'incoming.attached',
        subject: { incomingId: inc.id, paymentId: payment.id },
        data: { receipt: inc.receipt, amount: inc.amount, orderRef: payment.orderRef },
      });
      return { incoming: settled, payment: result.payment };
    });
  }

  private async target(
    uow: PaymentUnitOfWork,
    tenantId: TenantId,
    inc: IncomingPaymentRow,
    t: AttachTarget,
  ): Promise<PaymentRow> {
    if (t.paymentId) {
      const found = await this.repo.findPayment(uow.tx, tenantId, t.paymentId);
      if (!found) throw new NotFoundError('Payment not found', 'PAYMENT.NOT_FOUND');
      return found;
    }
    if (!t.orderRef) {
      throw new ValidationError('paymentId or orderRef is required', { field: 'paymentId' });
    }
    const unpaid = await this.repo.findForOrder(tenantId, t.orderRef, UNPAID_STATUSES);
    if (unpaid) return unpaid;
    if (!t.phone) {
      throw new ValidationError('phone is required to create a payment for this order', {
        field: 'phone',
      });
    }
    const { payment } = await this.repo.insertPaymentWithAttempt(
      uow.tx,
      tenantId,
      this.config.STK_TIMEOUT_SECONDS,
      {
        channelId: inc.channelId,
        terminalId: t.terminalId ?? null,
        orderRef: t.orderRef,
        amount: inc.amount,
        phone: normalisePhone(t.phone, 'phone'),
        description: `Paid to the till by hand (${inc.receipt})`,
      },
    );
    return payment;
  }
}
