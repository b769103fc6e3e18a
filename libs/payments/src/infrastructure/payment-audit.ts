import { auditValues, currentActor, evidenceDigest, type Actor } from '@malipo/audit';
import type { TenantId } from '@malipo/common';

/**
 * Who made a payment change and what it rested on, for its audit entry. `evidenceSha256` is the
 * digest of the raw evidence (a callback body as received); without it the entry carries the
 * digest of what the event itself recorded (a query answer, a statement row, a request).
 */
export interface PaymentAudit {
  actor?: Actor;
  evidenceSha256?: string;
}

/**
 * The audit parameters of one payment event (action `payment.<type>`), written by the same
 * statement as the event: no payload, no phone number, only digests and statuses.
 */
export function paymentAuditValues(
  tenantId: TenantId,
  payment: { id: string; orderRef: string },
  event: { type: string; fromStatus: string | null; toStatus: string; data: object },
  audit: PaymentAudit = {},
): unknown[] {
  return auditValues(
    tenantId,
    {
      action: `payment.${event.type}`,
      subject: { paymentId: payment.id, orderRef: payment.orderRef },
      data: {
        fromStatus: event.fromStatus,
        toStatus: event.toStatus,
        evidenceSha256: audit.evidenceSha256 ?? evidenceDigest(event.data),
      },
    },
    audit.actor ?? currentActor(),
  );
}
