import fc from 'fast-check';
import {
  accountCode,
  adjustmentPlan,
  chargePlan,
  depositAccountReference,
  depositLimitBreach,
  depositOrderRef,
  depositPlan,
  reversalPlan,
  shortfallOf,
  statementTypeOf,
  sumOf,
} from './ledger-rules';

const amount = fc.integer({ min: 1, max: 250_000 });

describe('ledger rules', () => {
  it('balances every journal it plans', () => {
    fc.assert(
      fc.property(amount, fc.nat({ max: 500_000 }), (a, balance) => {
        for (const plan of [depositPlan(a), chargePlan(a), adjustmentPlan(a), adjustmentPlan(-a)]) {
          expect(sumOf(plan)).toBe(0);
        }
        expect(sumOf(reversalPlan(a, balance))).toBe(0);
      }),
    );
  });

  it('reverses no more than the balance holds and books the rest as owed', () => {
    fc.assert(
      fc.property(amount, fc.nat({ max: 500_000 }), (deposited, balance) => {
        const plan = reversalPlan(deposited, balance);
        expect(balance + plan.amount).toBeGreaterThanOrEqual(0);
        expect(-plan.amount + shortfallOf(plan)).toBe(deposited);
        expect(shortfallOf(plan) > 0).toBe(balance < deposited);
      }),
    );
  });

  it('moves the customer by the signed amount: deposits credit, charges debit', () => {
    expect(depositPlan(30).amount).toBe(30);
    expect(chargePlan(30).amount).toBe(-30);
    expect(adjustmentPlan(-5).amount).toBe(-5);
    expect(statementTypeOf('charge')).toBe('CHARGE');
  });

  it('derives a valid AccountReference (<= 12 alphanumerics) from a deposit order', () => {
    fc.assert(
      fc.property(fc.infiniteStream(fc.nat()), fc.stringMatching(/^[0-9A-F]{8}$/), (s, suffix) => {
        const code = accountCode((n) => s.next().value % n);
        expect(code).toMatch(/^AC[2-9A-Z]{8}$/);
        expect(depositAccountReference(depositOrderRef(code, suffix.toUpperCase()))).toBe(code);
      }),
    );
  });

  it('refuses deposits outside the shop limits', () => {
    const limits = { depositMin: 10, depositMax: 100 };
    expect(depositLimitBreach(limits, 9)).toBe('below_minimum');
    expect(depositLimitBreach(limits, 10)).toBeNull();
    expect(depositLimitBreach(limits, 100)).toBeNull();
    expect(depositLimitBreach(limits, 101)).toBe('above_maximum');
  });
});
