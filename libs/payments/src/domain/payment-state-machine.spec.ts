import {
  aPaymentState,
  ONE_OF_EACH_EVENT as SAMPLE,
} from '../../../../test/factories/payment-events.arb';
import { readTextTable } from '../../../../test/support/text-table';
import type { DiscrepancyKind, PaymentState } from './payment';
import type { PaymentEvent, PaymentEventType } from './payment-event';
import { PAYMENT_STATUSES, type PaymentStatus } from './payment-status';
import { transition, type Transition } from './payment-state-machine';

/**
 * The payment state machine, every state × every event (DESIGN.md "Payment states"). The event is
 * about the payment's current attempt (a1); a retry starts a fresh one (a2) after a final one.
 * A cell is the state the payment moves to (applied), `=` duplicate (already there: a replay),
 * `x` rejected with PAYMENT.ILLEGAL_TRANSITION, `ign` ignored (the payment does not change; only
 * the attempt and an operator hear of it). `awaiting` is awaiting_customer.
 * A new state is a new column, a new event a new row: the test fails until both are filled in.
 */
const PAYMENT_TABLE = readTextTable(`
  event                  created   awaiting  unknown   succeeded failed    cancelled expired   reversed  paid_cash
  stk_accepted           awaiting  =         awaiting  x         x         x         x         x         x
  stk_rejected           failed    x         failed    x         =         x         x         x         x
  stk_unknown            unknown   x         =         x         x         x         x         x         x
  paid                   succeeded succeeded succeeded =         succeeded succeeded succeeded =         succeeded
  cancelled_by_customer  x         cancelled cancelled x         x         =         x         x         x
  failed                 x         failed    failed    x         =         x         x         x         x
  timed_out              x         expired   expired   x         x         x         =         x         x
  deadline_passed        expired   expired   expired   x         x         x         =         x         x
  outcome_unconfirmed    ign       ign       ign       ign       ign       ign       ign       ign       ign
  query_given_up         ign       ign       ign       ign       ign       ign       ign       ign       ign
  cashier_cancelled      x         cancelled cancelled x         x         =         x         x         x
  retry_started          x         x         x         x         created   created   created   x         x
  reversed               x         x         x         reversed  x         x         x         =         x
  cash_taken             x         x         x         x         paid_cash paid_cash paid_cash x         =
`);

/** What a late success records, by the state it overrides (DESIGN: `paid` wins, with a discrepancy). */
const PAID_DISCREPANCY = readTextTable(`
  from        created awaiting unknown failed       cancelled         expired      paid_cash
  discrepancy -       -        -       late_success paid_after_cancel late_success double_payment
`).get('discrepancy')!;

const STATE_OF: Record<string, PaymentStatus> = { awaiting: 'awaiting_customer' };
const stateOf = (column: string): PaymentStatus => STATE_OF[column] ?? (column as PaymentStatus);
const columnOf = (s: PaymentStatus): string => (s === 'awaiting_customer' ? 'awaiting' : s);

const RECEIPT = SAMPLE.paid.receipt;
const PAID_AT = SAMPLE.paid.paidAt;

const OLD_FAILURE = { code: '1', message: 'insufficient funds', retryable: true };

/** A payment as the database would hold it in each state. */
function paymentIn(status: PaymentStatus): PaymentState {
  const base = aPaymentState({ status, version: 3, attemptCount: 1, currentAttemptId: 'a1' });
  if (status === 'succeeded' || status === 'reversed') {
    return { ...base, receipt: RECEIPT, paidAmount: 100, paidAt: PAID_AT };
  }
  if (status === 'failed' || status === 'cancelled' || status === 'expired') {
    return { ...base, failure: OLD_FAILURE };
  }
  return base;
}

/** The fields each event writes when it applies, beyond status and version. */
const WRITES: { [T in PaymentEventType]: (p: PaymentState) => Partial<PaymentState> } = {
  stk_accepted: () => ({}),
  stk_rejected: () => ({ failure: { code: '2028', message: 'not permitted', retryable: false } }),
  stk_unknown: () => ({}),
  paid: () => ({ receipt: RECEIPT, paidAmount: 100, paidAt: PAID_AT, failure: null }),
  cancelled_by_customer: () => ({
    failure: { code: '1032', message: 'Request cancelled by user', retryable: true },
  }),
  failed: () => ({ failure: { code: '2', message: 'limit', retryable: false } }),
  timed_out: () => ({ failure: { code: '1037', message: 'no answer', retryable: true } }),
  deadline_passed: () => ({
    failure: { code: 'EXPIRED', message: 'no final answer', retryable: true },
  }),
  outcome_unconfirmed: () => ({}),
  query_given_up: () => ({}),
  cashier_cancelled: () => ({
    failure: { code: 'CANCELLED_BY_CASHIER', message: 'customer left', retryable: true },
  }),
  retry_started: (p) => ({
    currentAttemptId: 'a2',
    attemptCount: p.attemptCount + 1,
    failure: null,
  }),
  reversed: () => ({}),
  cash_taken: () => ({ failure: null }),
};

function expected(cell: string, p: PaymentState, e: PaymentEvent): Transition {
  if (cell === '=') return { kind: 'duplicate' };
  if (cell === 'ign') {
    const detail = 'detail' in e ? e.detail : '';
    return { kind: 'ignored', reason: detail, discrepancy: 'unconfirmed_outcome' };
  }
  if (cell === 'x') {
    const message =
      e.type === 'retry_started'
        ? `A ${p.status} payment cannot be retried`
        : `${p.status} -/-> ${e.type}`;
    return expect.objectContaining({
      kind: 'rejected',
      reason: 'illegal_transition',
      error: expect.objectContaining({
        code: 'PAYMENT.ILLEGAL_TRANSITION',
        message,
        details: { paymentId: p.id, event: e.type },
      }),
    }) as Transition;
  }
  const payment = { ...p, status: stateOf(cell), version: p.version + 1, ...WRITES[e.type](p) };
  const discrepancy = e.type === 'paid' ? PAID_DISCREPANCY.get(columnOf(p.status)) : '-';
  return discrepancy && discrepancy !== '-'
    ? { kind: 'applied', from: p.status, payment, discrepancy: discrepancy as DiscrepancyKind }
    : { kind: 'applied', from: p.status, payment };
}

const CELLS = [...PAYMENT_TABLE].flatMap(([event, row]) =>
  [...row].map(([column, cell]) => ({ event: event as PaymentEventType, column, cell })),
);

describe(`${transition.name} (transition table)`, () => {
  it('has one row per event and one column per state', () => {
    expect([...PAYMENT_TABLE.keys()].sort()).toEqual(Object.keys(SAMPLE).sort());
    for (const row of PAYMENT_TABLE.values()) {
      expect([...row.keys()].map(stateOf).sort()).toEqual([...PAYMENT_STATUSES].sort());
    }
  });

  it.each(CELLS)('$event in $column → $cell', ({ event, column, cell }) => {
    const before = paymentIn(stateOf(column));
    const e = SAMPLE[event];
    expect(transition(before, e)).toStrictEqual(expected(cell, before, e));
  });
});

describe(`${transition.name} (beside the table)`, () => {
  const aboutOldAttempt = Object.values(SAMPLE).filter(
    (e) =>
      'attemptId' in e &&
      !['paid', 'retry_started', 'outcome_unconfirmed', 'query_given_up'].includes(e.type),
  );

  it.each(PAYMENT_STATUSES)(
    'ignores news other than money about an older attempt, in %s',
    (status) => {
      for (const e of aboutOldAttempt) {
        const r = transition(paymentIn(status), { ...e, attemptId: 'a0' } as PaymentEvent);
        expect(r).toStrictEqual({
          kind: 'ignored',
          reason: 'event is about an attempt that is no longer current',
        });
      }
    },
  );

  it('lets money about an older attempt win like any success', () => {
    const before = paymentIn('expired');
    const r = transition(before, { ...SAMPLE.paid, attemptId: 'a0' });
    expect(r).toMatchObject({
      kind: 'applied',
      discrepancy: 'late_success',
      payment: { status: 'succeeded', receipt: RECEIPT, currentAttemptId: 'a1' },
    });
  });

  it.each<PaymentStatus>(['succeeded', 'reversed'])(
    'calls a second, different receipt on a %s payment a double payment, never a success',
    (status) => {
      const r = transition(paymentIn(status), { ...SAMPLE.paid, receipt: 'QKH94M1Z99' });
      expect(r).toStrictEqual({
        kind: 'ignored',
        reason: 'payment already succeeded with another receipt',
        discrepancy: 'double_payment',
      });
    },
  );

  it.each<PaymentStatus>(['failed', 'cancelled', 'expired'])(
    'refuses a retry of a %s payment while the previous prompt may still be answered',
    (status) => {
      const before = paymentIn(status);
      const r = transition(before, { ...SAMPLE.retry_started, previousAttemptFinal: false });
      expect(r).toStrictEqual({
        kind: 'rejected',
        reason: 'attempt_not_final',
        error: expect.objectContaining({
          code: 'PAYMENT.ATTEMPT_NOT_FINAL',
          details: { paymentId: before.id },
        }),
      });
    },
  );

  it('refuses a retry that names the current attempt again (a replayed retry)', () => {
    const r = transition(paymentIn('failed'), { ...SAMPLE.retry_started, attemptId: 'a1' });
    expect(r).toMatchObject({ kind: 'rejected', reason: 'illegal_transition' });
  });

  it('treats a payment without a current attempt as having only older attempts', () => {
    const before = { ...paymentIn('awaiting_customer'), currentAttemptId: null };
    expect(transition(before, SAMPLE.failed).kind).toBe('ignored');
    expect(transition(before, SAMPLE.cashier_cancelled).kind).toBe('applied');
  });
});
