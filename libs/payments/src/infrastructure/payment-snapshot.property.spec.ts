import fc from 'fast-check';
import { aPaymentRow } from '../../../../test/factories/payment-row';
import { toPaymentView } from '../application/payment-view';
import { PAYMENT_STATUSES } from '../domain/payment-status';
import type { PaymentRow } from './payment-rows';
import { paymentAsOf, snapshotOf } from './payment-snapshot';

const when = fc.date({
  min: new Date('2026-01-01'),
  max: new Date('2027-01-01'),
  noInvalidDate: true,
});
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const status = fc.constantFrom(...PAYMENT_STATUSES);

type Changing = Pick<
  PaymentRow,
  | 'status'
  | 'version'
  | 'attemptCount'
  | 'currentAttemptId'
  | 'receipt'
  | 'paidAmount'
  | 'paidAt'
  | 'failureCode'
  | 'failureMessage'
  | 'failureRetryable'
  | 'deadlineAt'
  | 'updatedAt'
  | 'finalizedAt'
>;

/** The columns that change over a payment's life; the fixed ones come from `fixed`. */
const changing: fc.Arbitrary<Changing> = fc.record({
  status,
  version: fc.nat(50),
  attemptCount: fc.integer({ min: 1, max: 5 }),
  currentAttemptId: maybe(fc.uuid()),
  receipt: maybe(fc.stringMatching(/^[A-Z0-9]{10}$/)),
  paidAmount: maybe(fc.integer({ min: 1, max: 250_000 })),
  paidAt: maybe(when),
  failureCode: maybe(fc.constantFrom('1032', '1037', '2001')),
  failureMessage: maybe(fc.string({ maxLength: 40 })),
  failureRetryable: maybe(fc.boolean()),
  deadlineAt: maybe(when),
  updatedAt: when,
  finalizedAt: maybe(when),
});

const fixed = aPaymentRow();
const row = (c: Changing): PaymentRow => ({ ...fixed, ...c });

describe('payment state snapshot', () => {
  it('replays any event as the payment was then, whatever the payment became later', () => {
    fc.assert(
      fc.property(changing, changing, (then, later) => {
        const event = { toStatus: then.status, paymentState: { ...snapshotOf(row(then)) } };
        const replayed = paymentAsOf(row(later), event);
        expect(toPaymentView(replayed, { fullPhone: true })).toEqual(
          toPaymentView(row(then), { fullPhone: true }),
        );
        expect(replayed.version).toBe(then.version);
      }),
    );
  });

  it('survives a trip through JSON, as it does through the jsonb column', () => {
    fc.assert(
      fc.property(changing, changing, (then, later) => {
        const stored = JSON.parse(JSON.stringify(snapshotOf(row(then)))) as Record<string, unknown>;
        const replayed = paymentAsOf(row(later), { toStatus: then.status, paymentState: stored });
        expect(replayed).toEqual(row(then));
      }),
    );
  });

  it('falls back to the current row with the event status for events without a snapshot', () => {
    fc.assert(
      fc.property(changing, status, (later, toStatus) => {
        const replayed = paymentAsOf(row(later), { toStatus, paymentState: null });
        expect(replayed).toEqual({ ...row(later), status: toStatus });
      }),
    );
  });
});
