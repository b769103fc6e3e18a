/** Kenyan mobile numbers as a cashier types them: 07…, 01…, +254…, 254… (spaces and dashes ok). */
export type PhoneCheck = { ok: true; canonical: string } | { ok: false; problem: string };

export function checkPhone(input: string): PhoneCheck {
  const raw = input.replace(/[\s-]/g, '');
  if (!raw) return { ok: false, problem: 'Enter the customer’s M-Pesa phone number.' };
  if (!/^\+?\d+$/.test(raw)) return { ok: false, problem: 'Use digits only, like 0712 345 678.' };
  const national = raw.startsWith('+254')
    ? raw.slice(4)
    : raw.startsWith('254')
      ? raw.slice(3)
      : raw.startsWith('0')
        ? raw.slice(1)
        : raw;
  if (!/^[17]/.test(national)) {
    return { ok: false, problem: 'A Safaricom number starts with 07 or 01 (or +254 7 / +254 1).' };
  }
  if (national.length < 9) {
    return { ok: false, problem: 'The number is too short: 10 digits, like 0712 345 678.' };
  }
  if (national.length > 9) {
    return { ok: false, problem: 'The number is too long: 10 digits, like 0712 345 678.' };
  }
  return { ok: true, canonical: `0${national}` };
}

/** Groups digits as the cashier types: `0712 345 678`, `+254 712 345 678`. */
export function formatPhoneInput(input: string): string {
  const plus = input.trim().startsWith('+');
  const digits = input.replace(/\D/g, '').slice(0, 12);
  if (digits.startsWith('254')) {
    const rest = digits.slice(3);
    return [`${plus ? '+' : ''}254`, rest.slice(0, 3), rest.slice(3, 6), rest.slice(6)]
      .filter(Boolean)
      .join(' ');
  }
  return [digits.slice(0, 4), digits.slice(4, 7), digits.slice(7, 10)].filter(Boolean).join(' ');
}

export function checkAmount(
  input: string,
): { ok: true; amount: number } | { ok: false; problem: string } {
  const text = input.replace(/[,\s]/g, '');
  if (!text) return { ok: false, problem: 'Enter the amount in shillings.' };
  if (!/^\d+$/.test(text)) return { ok: false, problem: 'Whole shillings only, like 250.' };
  const amount = Number(text);
  if (amount < 1) return { ok: false, problem: 'The amount must be at least KES 1.' };
  if (amount > 250_000) return { ok: false, problem: 'M-Pesa takes at most KES 250,000 at once.' };
  return { ok: true, amount };
}
