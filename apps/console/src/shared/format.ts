/** Money in whole KES, the one way the console shows it: `KES 1,250`. */
export function formatMoney(amount: number, currency = 'KES'): string {
  return `${currency} ${Math.round(amount).toLocaleString('en-KE')}`;
}

/** A phone shown to a person: only the last three digits (`•••• ••• 678`). */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length >= 3 ? `•••• ••• ${digits.slice(-3)}` : '••••';
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString('en-KE', {
    dateStyle: 'medium',
    timeStyle: 'medium',
    timeZone: 'Africa/Nairobi',
  });
}

/** Seconds as `1:05`. */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
