/** Keeps the last three digits of a phone number: `254712345678` → `*********678`. */
export function maskPhone(phone: string): string {
  const digits = String(phone);
  if (digits.length <= 3) return '***';
  return '*'.repeat(digits.length - 3) + digits.slice(-3);
}

/** Kenyan MSISDNs in any of the forms customers type, with or without separators. */
const PHONE_IN_TEXT = /(?<![\dA-Za-z])(?:\+?254|0)?[17](?:[\s-]?\d){8}(?!\d)/g;

/** Scrubs phone numbers out of free text (log messages, error strings). */
export function maskPhonesInText(text: string): string {
  return text.replace(PHONE_IN_TEXT, (match) => maskPhone(match.replace(/[\s-]/g, '')));
}
