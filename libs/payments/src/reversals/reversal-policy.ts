import { ConflictError, ForbiddenError } from '@malipo/common';

export interface Approver {
  keyId: string;
  role: 'terminal' | 'owner' | 'ops';
}

/**
 * Maker-checker: the key that asked may not approve, and a shop may require ops for approval.
 * Pure, so each rule has its own test. Reversals and account adjustments (issue 17) share it;
 * `subject` names the error codes.
 */
export function checkApprover(
  reversal: { state: string; requestedBy: string },
  approver: Approver,
  policy: 'owner_or_ops' | 'ops',
  subject: 'REVERSAL' | 'ADJUSTMENT' = 'REVERSAL',
): void {
  const what = subject.toLowerCase();
  if (reversal.state !== 'pending_approval') {
    throw new ConflictError(
      `The ${what} is ${reversal.state}, not pending approval`,
      `${subject}.NOT_PENDING`,
    );
  }
  if (approver.keyId === reversal.requestedBy) {
    throw new ForbiddenError(
      `A second, different key must approve ${what === 'reversal' ? 'a reversal' : 'an adjustment'}`,
      `${subject}.SAME_KEY`,
    );
  }
  const allowed = policy === 'ops' ? approver.role === 'ops' : approver.role !== 'terminal';
  if (!allowed) {
    throw new ForbiddenError(
      policy === 'ops'
        ? `This shop requires an operator to approve ${what}s`
        : 'Only an owner or operator may approve',
      `${subject}.APPROVER_NOT_ALLOWED`,
    );
  }
}
