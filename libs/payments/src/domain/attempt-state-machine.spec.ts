import { ONE_OF_EACH_EVENT as SAMPLE } from '../../../../test/factories/payment-events.arb';
import { readTextTable } from '../../../../test/support/text-table';
import {
  ATTEMPT_STATES,
  isAttemptFinal,
  isAttemptLive,
  type AttemptOutcome,
  type AttemptSnapshot,
} from './attempt';
import {
  NOT_SENT,
  applyAttemptChange,
  attemptTransition,
  type AttemptChange,
} from './attempt-state-machine';
import type { PaymentEvent, PaymentEventType } from './payment-event';

/** The attempts the database can hold, one column each in the table below. */
const ATTEMPTS: Record<string, AttemptSnapshot> = {
  /** Never pushed: no push-intent mark. */
  pending: { state: 'pending', outcome: null, checkoutRequestId: null, pushAnswered: false },
  /** Marked as maybe pushed; Daraja's answer not heard yet. */
  marked: { state: 'unknown', outcome: null, checkoutRequestId: null, pushAnswered: false },
  /** The push's answer was lost (timeout, 5xx): maybe pushed, no CheckoutRequestID. */
  lost: { state: 'unknown', outcome: null, checkoutRequestId: null, pushAnswered: true },
  /** Unknown, but a CheckoutRequestID is known: queryable. */
  queryable: { state: 'unknown', outcome: null, checkoutRequestId: 'ws_CO_1', pushAnswered: true },
  accepted: { state: 'accepted', outcome: null, checkoutRequestId: 'ws_CO_1', pushAnswered: true },
  rejected: { state: 'rejected', outcome: 'rejected', checkoutRequestId: null, pushAnswered: true },
  ended: { state: 'final', outcome: 'failed', checkoutRequestId: 'ws_CO_1', pushAnswered: true },
  paid: { state: 'final', outcome: 'paid', checkoutRequestId: 'ws_CO_1', pushAnswered: true },
};

/**
 * The attempt state machine, every attempt × every event: what the event writes on the attempt
 * it names. `-`: nothing (a replay, or news the attempt does not record). The other cells are
 * the changes spelled out in CHANGE below.
 */
const ATTEMPT_TABLE = readTextTable(`
  event                  pending  marked   lost     queryable accepted rejected ended    paid
  stk_accepted           accept   accept   accept   accept    -        -        -        -
  stk_rejected           refuse   refuse   refuse   -         -        -        -        -
  stk_unknown            lost     lost     -        -         -        -        -        -
  paid                   paid     paid     paid     paid      paid     paid     paid     -
  cancelled_by_customer  end      end      end      end       end      -        -        -
  failed                 end      end      end      end       end      -        -        -
  timed_out              end      end      end      end       end      -        -        -
  deadline_passed        not_sent release  release  release   release  -        -        -
  outcome_unconfirmed    release  release  release  release   release  -        -        -
  query_given_up         give_up  give_up  give_up  give_up   give_up  -        -        -
  cashier_cancelled      -        -        -        -         -        -        -        -
  retry_started          -        -        -        -         -        -        -        -
  reversed               -        -        -        -         -        -        -        -
  cash_taken             -        -        -        -         -        -        -        -
`);

const ended = (
  outcome: AttemptOutcome,
  resultCode: string | null,
  resultDesc: string | null,
): AttemptChange => ({
  final: true,
  endsPrompt: true,
  state: 'final',
  outcome,
  resultCode,
  resultDesc,
});

/** Each cell's change, for the sample event of its row. */
const CHANGE: Record<string, (e: PaymentEvent) => AttemptChange | undefined> = {
  '-': () => undefined,
  accept: () => ({
    state: 'accepted',
    merchantRequestId: 'm-1',
    checkoutRequestId: 'ws_CO_1',
    answered: true,
    firstQueryDue: true,
    endsPrompt: false,
  }),
  refuse: () => ({
    ...ended('rejected', '2028', 'not permitted'),
    state: 'rejected',
    answered: true,
  }),
  lost: () => ({ state: 'unknown', answered: true, firstQueryDue: true, endsPrompt: false }),
  paid: () => ({ ...ended('paid', '0', null), receipt: 'QKH94M1Z11' }),
  end: (e) => {
    const { type, code, message } = e as Extract<PaymentEvent, { type: 'failed' }>;
    return ended(type, code, message);
  },
  not_sent: () => ended('not_sent', null, NOT_SENT),
  release: () => ({ endsPrompt: true }),
  give_up: () => ended('unconfirmed', null, 'grace over'),
};

const CELLS = [...ATTEMPT_TABLE].flatMap(([event, row]) =>
  [...row].map(([column, cell]) => ({ event: event as PaymentEventType, column, cell })),
);

describe(`${attemptTransition.name} (transition table)`, () => {
  it('has one row per event, one column per kind of attempt, and a meaning for every cell', () => {
    expect([...ATTEMPT_TABLE.keys()].sort()).toEqual(Object.keys(SAMPLE).sort());
    const states = new Set(Object.values(ATTEMPTS).map((a) => a.state));
    expect([...states].sort()).toEqual([...ATTEMPT_STATES].sort());
    for (const { column, cell } of CELLS) {
      expect(ATTEMPTS[column]).toBeDefined();
      expect(CHANGE[cell]).toBeDefined();
    }
  });

  it.each(CELLS)('$event on a $column attempt → $cell', ({ event, column, cell }) => {
    const e = SAMPLE[event];
    expect(attemptTransition(ATTEMPTS[column], e)).toStrictEqual(CHANGE[cell](e));
  });
});

it('tells an operator in words that a not_sent prompt never left', () => {
  expect(NOT_SENT).toBe('The prompt was never sent: the push did not leave before the deadline');
});

describe(applyAttemptChange.name, () => {
  it('writes the state, the outcome, the CheckoutRequestID and that the push was answered', () => {
    const after = applyAttemptChange(ATTEMPTS.pending, CHANGE.accept(SAMPLE.stk_accepted)!);
    expect(after).toStrictEqual({
      state: 'accepted',
      outcome: null,
      checkoutRequestId: 'ws_CO_1',
      pushAnswered: true,
    });
    const paid = applyAttemptChange(after, CHANGE.paid(SAMPLE.paid)!);
    expect(paid).toStrictEqual({ ...after, state: 'final', outcome: 'paid' });
  });

  it('leaves everything as it was for a change that only releases the phone', () => {
    for (const a of Object.values(ATTEMPTS)) {
      expect(applyAttemptChange(a, { endsPrompt: true })).toStrictEqual(a);
    }
  });
});

describe('attempt liveness', () => {
  it.each([
    ['pending', true],
    ['marked', true],
    ['lost', true],
    ['queryable', true],
    ['accepted', true],
    ['rejected', false],
    ['ended', false],
    ['paid', false],
  ])('a %s attempt is live: %s (final is the opposite)', (column, live) => {
    expect(isAttemptLive(ATTEMPTS[column])).toBe(live);
    expect(isAttemptFinal(ATTEMPTS[column])).toBe(!live);
  });

  it('counts a missing attempt as final, so a payment without one may start its first', () => {
    expect(isAttemptFinal(undefined)).toBe(true);
  });
});
