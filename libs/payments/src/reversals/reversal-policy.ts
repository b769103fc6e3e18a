import { ConflictError, ForbiddenError } from '@malipo/common';

export interface Approver {
  keyId: string;
  role: 'terminal' | 'owner' | 'ops';
}

/**
 * Maker-checker: the key that asked may not approve, and a shop may require ops for approval.
 * Pure, so each rule has its own test.
 */
export function checkApprover(
  reversal: { state: string; requestedBy: string },
  approver: Approver,
  policy: 'owner_or_ops' | 'ops',
): void {
  if (reversal.state !== 'pending_approval') {
    throw new ConflictError(
      `The reversal is ${reversal.state}, not pending approval`,
      'REVERSAL.NOT_PENDING',
    );
  }
  if (approver.keyId === reversal.requestedBy) {
    throw new ForbiddenError(
      'A second, different key must approve a reversal',
      'REVERSAL.SAME_KEY',
    );
  }
  const allowed = policy === 'ops' ? approver.role === 'ops' : approver.role !== 'terminal';
  if (!allowed) {
    throw new ForbiddenError(
      policy === 'ops'
        ? 'This shop requires an operator to approve reversals'
        : 'Only an owner or operator may approve',
      'REVERSAL.APPROVER_NOT_ALLOWED',
    );
  }
}
