/** East Africa Time has been UTC+3 all year since 1960 (no daylight saving). */
const EAT_OFFSET_MS = 3 * 60 * 60 * 1000;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * Daraja's `YYYYMMDDHHmmss`, 24-hour clock, in Africa/Nairobi wall-clock time. Daraja does not
 * document the zone (REFERENCE §2.2 ⚠); EAT is the community consensus and matches the time that
 * Safaricom embeds in CheckoutRequestIDs.
 */
export function darajaTimestamp(date: Date): string {
  const eat = new Date(date.getTime() + EAT_OFFSET_MS);
  return (
    pad(eat.getUTCFullYear(), 4) +
    pad(eat.getUTCMonth() + 1) +
    pad(eat.getUTCDate()) +
    pad(eat.getUTCHours()) +
    pad(eat.getUTCMinutes()) +
    pad(eat.getUTCSeconds())
  );
}

/** `base64(BusinessShortCode + Passkey + Timestamp)`, plain concatenation (REFERENCE §2.2). */
export function buildPassword(shortcode: string, passkey: string, timestamp: string): string {
  return Buffer.from(`${shortcode}${passkey}${timestamp}`, 'utf8').toString('base64');
}
