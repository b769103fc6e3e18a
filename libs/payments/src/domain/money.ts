/** STK Push takes whole shillings from 1 to 250,000 per transaction (REFERENCE §2.1). */
export const MIN_AMOUNT_KES = 1;
export const MAX_AMOUNT_KES = 250_000;

export function isValidStkAmount(amount: unknown): amount is number {
  return (
    Number.isInteger(amount) &&
    (amount as number) >= MIN_AMOUNT_KES &&
    (amount as number) <= MAX_AMOUNT_KES
  );
}

/**
 * Money moved only if the reported amount is the whole amount asked. The Daraja parser turns
 * `1.00` into 1 and anything that is not a whole amount (10.004, "0xA") into undefined; this
 * refuses fractions again rather than rounding them away.
 */
export function sameAmount(requestedKes: number, reported: number | undefined): boolean {
  return (
    typeof reported === 'number' && Number.isSafeInteger(reported) && reported === requestedKes
  );
}
