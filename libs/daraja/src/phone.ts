import { ValidationError } from '@malipo/common';

/** `+254`/`254`/`0`/nothing, then a Safaricom-range national number starting 7 or 1 (9 digits). */
const PHONE_FORMS = /^(?:\+?254|0)?([17]\d{8})$/;

/**
 * Reduces what a cashier types (`07…`, `01…`, `7…`, `+2547…`, `2547…`, spaced or dashed) to the
 * 12-digit MSISDN Daraja wants (`2547XXXXXXXX` / `2541XXXXXXXX`). The message names the field and
 * never echoes the number, so it is safe to log and to return to a client.
 */
export function normalisePhone(input: string, field = 'phone'): string {
  const compact = typeof input === 'string' ? input.trim().replace(/[\s-]+/g, '') : '';
  const match = PHONE_FORMS.exec(compact);
  if (!match) {
    throw new ValidationError(
      `${field} must be a Kenyan mobile number such as 0712345678 or 254712345678`,
      { field },
      'VALIDATION.INVALID_PHONE',
    );
  }
  return `254${match[1]}`;
}
