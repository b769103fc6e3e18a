/**
 * The cashier's name is typed once per shift, not per sale: each till (terminal) remembers the
 * last one in this browser. Storage may be off (private mode, a locked-down kiosk): then the
 * till simply asks again.
 */
const storageKey = (tillId: string) => `malipo.till.${tillId}.cashier`;

export function rememberedCashier(tillId: string | null | undefined): string {
  if (!tillId) return '';
  try {
    return localStorage.getItem(storageKey(tillId)) ?? '';
  } catch {
    return '';
  }
}

export function rememberCashier(tillId: string | null | undefined, cashier: string): void {
  if (!tillId) return;
  try {
    if (cashier) localStorage.setItem(storageKey(tillId), cashier);
    else localStorage.removeItem(storageKey(tillId));
  } catch {
    // Not remembered: the till asks again next time.
  }
}
