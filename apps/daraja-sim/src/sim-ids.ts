import { randomBytes, randomInt } from 'node:crypto';

const EAT_OFFSET_MS = 3 * 60 * 60 * 1000;
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function eatParts(at: Date): {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
} {
  const t = new Date(at.getTime() + EAT_OFFSET_MS);
  return {
    y: t.getUTCFullYear(),
    mo: t.getUTCMonth() + 1,
    d: t.getUTCDate(),
    h: t.getUTCHours(),
    mi: t.getUTCMinutes(),
    s: t.getUTCSeconds(),
    ms: t.getUTCMilliseconds(),
  };
}

/** `YYYYMMDDHHmmss` in EAT, as Daraja puts in TransactionDate. */
export function eatTimestamp(at: Date): string {
  const p = eatParts(at);
  return `${p.y}${pad(p.mo)}${pad(p.d)}${pad(p.h)}${pad(p.mi)}${pad(p.s)}`;
}

/** REFERENCE §10: ws_CO_ + DDMMYYYY + HHmmss (EAT) + milliseconds + 9-digit national MSISDN. */
export function checkoutRequestId(at: Date, phone: string, bump = 0): string {
  const p = eatParts(at);
  return `ws_CO_${pad(p.d)}${pad(p.mo)}${p.y}${pad(p.h)}${pad(p.mi)}${pad(p.s)}${pad(p.ms + bump, 3)}${phone.slice(-9)}`;
}

/** 2024+ style, e.g. 2654-4b64-97ff-b827b542881d3130. */
export function merchantRequestId(): string {
  const hex = randomBytes(10).toString('hex');
  return `${hex.slice(0, 4)}-${hex.slice(4, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 20)}${randomInt(10_000_000, 99_999_999)}`;
}

/** Sync error requestId, e.g. 19072-295731-1. */
export function errorRequestId(): string {
  return `${randomInt(10_000, 99_999)}-${randomInt(100_000, 999_999)}-1`;
}

export function accessToken(): string {
  return Array.from({ length: 28 }, () => {
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    return chars[randomInt(chars.length)];
  }).join('');
}

/**
 * 10 uppercase alphanumerics: year letter (L=2017), month letter (A=Jan), day (1-9, then A=10),
 * then seven random characters (REFERENCE §10).
 */
export function receiptNumber(at: Date): string {
  const p = eatParts(at);
  const year = String.fromCharCode('L'.charCodeAt(0) + Math.max(0, Math.min(14, p.y - 2017)));
  const month = String.fromCharCode('A'.charCodeAt(0) + p.mo - 1);
  const day = p.d < 10 ? String(p.d) : String.fromCharCode('A'.charCodeAt(0) + p.d - 10);
  const rest = Array.from({ length: 7 }, () => ALNUM[randomInt(ALNUM.length)]).join('');
  return `${year}${month}${day}${rest}`;
}
