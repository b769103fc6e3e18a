/** Keeps the last three digits of a phone number: `254712345678` → `*********678`. */
export function maskPhone(phone: string): string {
  const digits = String(phone);
  if (digits.length <= 3) return '***';
  return '*'.repeat(digits.length - 3) + digits.slice(-3);
}

/**
 * Kenyan MSISDNs in any of the forms customers type, with or without separators, and with the
 * plus written `%2B` as it is in a query string.
 */
const PHONE_IN_TEXT = /(?<![\dA-Za-z])(?:(?:\+|%2[Bb])?254|0)?[17](?:[\s-]?\d){8}(?!\d)/g;

const digitsOf = (match: string) => match.replace(/%2[Bb]/, '+').replace(/[\s-]/g, '');

/** Scrubs phone numbers out of free text (log messages, error strings). */
export function maskPhonesInText(text: string): string {
  return text.replace(PHONE_IN_TEXT, (match) => maskPhone(digitsOf(match)));
}

/**
 * Scrubs phone numbers out of one serialised JSON log line, whatever field they hide in (a URL's
 * query string, an error message, a database error's parameters). A phone written as a JSON
 * number becomes a string, so the line stays JSON.
 */
export function maskPhonesInJsonLine(line: string): string {
  return line.replace(PHONE_IN_TEXT, (match, offset: number) => {
    const masked = maskPhone(digitsOf(match));
    const before = line[offset - 1];
    const after = line[offset + match.length];
    const bareNumber = /[:,[]/.test(before ?? '') && /[,}\]]/.test(after ?? '');
    return bareNumber ? `"${masked}"` : masked;
  });
}
