import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Malipo-Signature';
/** Receivers should refuse signatures older (or newer) than this; it is what stops replays. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** A fresh signing secret: 32 random bytes, prefixed so that a leaked one is recognisable. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

function hmac(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">[,v1=...]`: one v1 per active secret, so a
 * receiver holding either the old or the new secret accepts the delivery during a rotation.
 */
export function signWebhook(body: string, secrets: readonly string[], timestamp: number): string {
  if (!secrets.length) throw new Error('at least one secret is needed to sign');
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new Error('bad timestamp');
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${hmac(s, timestamp, body)}`)].join(',');
}

export interface ParsedSignature {
  timestamp: number;
  signatures: string[];
}

export function parseSignatureHeader(header: string): ParsedSignature | undefined {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return undefined;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== undefined || !/^\d{1,15}$/.test(value)) return undefined;
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!HEX_SHA256.test(value)) return undefined;
      signatures.push(value);
    }
  }
  if (timestamp === undefined || !signatures.length) return undefined;
  return { timestamp, signatures };
}

export interface VerifyOptions {
  header: string | undefined;
  /** The raw request body, exactly as received. */
  body: string;
  secret: string;
  toleranceSeconds?: number;
  /** Unix seconds; defaults to the clock. */
  now?: number;
}

/** True when one v1 matches this secret and the timestamp is within the tolerance. */
export function verifyWebhookSignature(opts: VerifyOptions): boolean {
  if (!opts.header) return false;
  const parsed = parseSignatureHeader(opts.header);
  if (!parsed) return false;
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  const tolerance = opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(now - parsed.timestamp) > tolerance) return false;
  const expected = Buffer.from(hmac(opts.secret, parsed.timestamp, opts.body), 'hex');
  let ok = false;
  // Compare against every candidate (no early exit) in constant time per candidate.
  for (const candidate of parsed.signatures) {
    if (timingSafeEqual(expected, Buffer.from(candidate, 'hex'))) ok = true;
  }
  return ok;
}
