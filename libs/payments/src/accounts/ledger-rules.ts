/**
 * The ledger's arithmetic, pure. Sign convention: a customer leg is what the customer's balance
 * moves by (+ credit, - debit); every journal's counter legs, on shop-level system accounts, carry
 * the opposite so that the journal sums to zero.
 */
export type JournalKind = 'deposit' | 'charge' | 'reversal' | 'adjustment';
export type StatementType = 'DEPOSIT' | 'CHARGE' | 'REVERSAL' | 'ADJUSTMENT';
export type SystemAccount = 'mpesa_receipts' | 'sales' | 'adjustments' | 'reversal_shortfall';

export interface Leg {
  systemAccount: SystemAccount;
  amount: number;
}

/** A journal ready to post: the customer's leg and the counter legs that balance it. */
export interface JournalPlan {
  kind: JournalKind;
  /** What the customer's balance moves by. */
  amount: number;
  legs: Leg[];
}

export const statementTypeOf = (kind: string): StatementType => kind.toUpperCase() as StatementType;

export function sumOf(plan: JournalPlan): number {
  return plan.legs.reduce((sum, leg) => sum + leg.amount, plan.amount);
}

/** Money that arrived by M-Pesa for the account. */
export function depositPlan(amount: number): JournalPlan {
  return { kind: 'deposit', amount, legs: [{ systemAccount: 'mpesa_receipts', amount: -amount }] };
}

/** A sale paid from the balance. */
export function chargePlan(amount: number): JournalPlan {
  return { kind: 'charge', amount: -amount, legs: [{ systemAccount: 'sales', amount }] };
}

/** A signed correction two people agreed on. */
export function adjustmentPlan(amount: number): JournalPlan {
  return {
    kind: 'adjustment',
    amount,
    legs: [{ systemAccount: 'adjustments', amount: -amount }],
  };
}

/**
 * A deposit M-Pesa gave back. The balance never goes below zero: what it cannot cover is owed to
 * the shop and booked on `reversal_shortfall` (and an operator is told), so nothing is lost.
 */
export function reversalPlan(deposited: number, balance: number): JournalPlan {
  const taken = Math.max(0, Math.min(balance, deposited));
  const shortfall = deposited - taken;
  const legs: Leg[] = [{ systemAccount: 'mpesa_receipts', amount: deposited }];
  if (shortfall > 0) legs.push({ systemAccount: 'reversal_shortfall', amount: -shortfall });
  return { kind: 'reversal', amount: -taken, legs };
}

export const shortfallOf = (plan: JournalPlan): number =>
  -(plan.legs.find((l) => l.systemAccount === 'reversal_shortfall')?.amount ?? 0);

const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/**
 * An account's short code: `AC` and eight characters without look-alikes (0/O, 1/I/L). At most
 * 12 alphanumerics, so it is the AccountReference a deposit's prompt shows (REFERENCE §4).
 */
export function accountCode(random: (n: number) => number): string {
  let code = 'AC';
  for (let i = 0; i < 8; i++) code += CODE_ALPHABET[random(CODE_ALPHABET.length)];
  return code;
}

/**
 * A deposit is a payment like any other, so it has an order reference, unique per deposit (a
 * paid order refuses a second payment): the account's code, a dash and a suffix.
 */
export const depositOrderRef = (code: string, suffix: string): string => `${code}-${suffix}`;

/** What a deposit's STK push carries as AccountReference: the account's code alone. */
export const depositAccountReference = (orderRef: string): string => orderRef.split('-')[0];

export interface DepositLimits {
  depositMin: number;
  depositMax: number;
}

export type DepositLimitBreach = 'below_minimum' | 'above_maximum' | null;

export function depositLimitBreach(limits: DepositLimits, amount: number): DepositLimitBreach {
  if (amount < limits.depositMin) return 'below_minimum';
  if (amount > limits.depositMax) return 'above_maximum';
  return null;
}
