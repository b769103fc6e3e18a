import fc from 'fast-check';
import { checkApprover, type Approver } from './reversal-policy';

const roles = ['terminal', 'owner', 'ops'] as const;
const states = [
  'pending_approval',
  'rejected',
  'sending',
  'sent',
  'unknown',
  'succeeded',
  'failed',
];

describe(checkApprover.name, () => {
  it('allows exactly: pending, another key, owner/ops (or ops only when the shop says so)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...states),
        fc.boolean(),
        fc.constantFrom(...roles),
        fc.constantFrom('owner_or_ops' as const, 'ops' as const),
        (state, sameKey, role, policy) => {
          const approver: Approver = { keyId: sameKey ? 'k1' : 'k2', role };
          const ok =
            state === 'pending_approval' &&
            !sameKey &&
            (policy === 'ops' ? role === 'ops' : role !== 'terminal');
          const run = () => checkApprover({ state, requestedBy: 'k1' }, approver, policy);
          if (ok) expect(run).not.toThrow();
          else expect(run).toThrow();
        },
      ),
    );
  });

  it('names the reason', () => {
    const pending = { state: 'pending_approval', requestedBy: 'k1' };
    expect(() => checkApprover(pending, { keyId: 'k1', role: 'owner' }, 'owner_or_ops')).toThrow(
      expect.objectContaining({ code: 'REVERSAL.SAME_KEY' }),
    );
    expect(() => checkApprover(pending, { keyId: 'k2', role: 'owner' }, 'ops')).toThrow(
      expect.objectContaining({ code: 'REVERSAL.APPROVER_NOT_ALLOWED' }),
    );
    expect(() =>
      checkApprover({ ...pending, state: 'sent' }, { keyId: 'k2', role: 'ops' }, 'ops'),
    ).toThrow(expect.objectContaining({ code: 'REVERSAL.NOT_PENDING' }));
  });
});
