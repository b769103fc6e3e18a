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

/** Callback amounts arrive as decimals (`1.00`); money moved only if it equals the whole amount asked. */
export function sameAmount(requestedKes: number, reported: number | string | undefined): boolean {
  if (reported === undefined) return false;
  const value = typeof reported === 'string' ? Number(reported) : reported;
  return Number.isFinite(value) && Math.round(value * 100) === requestedKes * 100;
}
