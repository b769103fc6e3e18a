/** Values Daraja sends in several shapes, reduced to the one form Malipo compares and keeps. */

/** Whole shillings written as decimals: `10`, `10.00`, `"10"`, `"10.00"`; never hex or exponents. */
const WHOLE_AMOUNT_TEXT = /^(0|[1-9]\d{0,14})(\.0+)?$/;

/**
 * Strict on purpose: `Number()` reads "0xA" and "1e1" as 10, and rounding reads 10.004 as 10.
 * Anything but a whole amount is undefined, which the integrity check treats as a mismatch.
 */
export function wholeAmount(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value !== 'string' || !WHOLE_AMOUNT_TEXT.test(value)) return undefined;
  return Number(value.split('.')[0]);
}

/** M-Pesa receipt numbers are case-insensitive; the upper-case form is the one we keep. */
export function canonicalReceipt(receipt: string): string {
  return receipt.trim().toUpperCase();
}
