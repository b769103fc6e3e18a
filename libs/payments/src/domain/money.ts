/**
 * Money moved only if the reported amount is the whole amount asked. The Daraja parser turns
 * `1.00` into 1 and anything that is not a whole amount (10.004, "0xA") into undefined; this
 * refuses fractions again rather than rounding them away.
 */
export function sameAmount(requestedKes: number, reported: number | undefined): boolean {
  // Number.isSafeInteger never coerces: "100" or [100] is no amount.
  return Number.isSafeInteger(reported) && reported === requestedKes;
}
