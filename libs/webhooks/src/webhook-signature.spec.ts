import { createHmac } from 'node:crypto';
import {
  DEFAULT_TOLERANCE_SECONDS,
  parseSignatureHeader,
  signWebhook,
  verifyWebhookSignature,
} from './webhook-signature';

const SECRET = 'whsec_test';
const BODY = '{"type":"payment.succeeded"}';
const T = 1_764_000_000;
const mac = (secret: string, t: number, body: string) =>
  createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');

describe(signWebhook.name, () => {
  it('writes t= and one v1= HMAC-SHA256 of "t.body" per secret, in order', () => {
    expect(signWebhook(BODY, [SECRET, 'old'], T)).toBe(
      `t=${T},v1=${mac(SECRET, T, BODY)},v1=${mac('old', T, BODY)}`,
    );
  });

  it.each([
    ['no secret', [], T],
    ['a negative timestamp', [SECRET], -1],
    ['a fractional timestamp', [SECRET], T + 0.5],
    ['an unsafe timestamp', [SECRET], 2 ** 53],
  ])('refuses to sign with %s', (_, secrets, t) => {
    expect(() => signWebhook(BODY, secrets, t)).toThrow();
  });

  it('signs at timestamp 0', () => {
    expect(signWebhook(BODY, [SECRET], 0)).toBe(`t=0,v1=${mac(SECRET, 0, BODY)}`);
  });
});

describe(parseSignatureHeader.name, () => {
  const v1 = mac(SECRET, T, BODY);

  it('reads the fields in any order, with spaces, ignoring unknown keys', () => {
    expect(parseSignatureHeader(` v1 = ${v1} , v0=zz, t = ${T}`)).toEqual({
      timestamp: T,
      signatures: [v1],
    });
  });

  it.each([
    ['a part without =', `t=${T},v1=${v1},junk`],
    ['no timestamp', `v1=${v1}`],
    ['no signature', `t=${T}`],
    ['two timestamps', `t=${T},t=${T},v1=${v1}`],
    ['a timestamp of 16 digits', `t=1${'0'.repeat(15)},v1=${v1}`],
    ['a negative timestamp', `t=-${T},v1=${v1}`],
    ['an upper-case signature', `t=${T},v1=${v1.toUpperCase()}`],
    ['a short signature', `t=${T},v1=${v1.slice(1)}`],
    ['a signature with a suffix', `t=${T},v1=${v1}0`],
  ])('refuses a header with %s', (_, header) => {
    expect(parseSignatureHeader(header)).toBeUndefined();
  });
});

describe(verifyWebhookSignature.name, () => {
  const header = signWebhook(BODY, [SECRET], T);

  it(`accepts up to ${DEFAULT_TOLERANCE_SECONDS} s of clock difference either way, by default`, () => {
    for (const now of [T - 300, T, T + 300]) {
      expect(verifyWebhookSignature({ header, body: BODY, secret: SECRET, now })).toBe(true);
    }
    for (const now of [T - 301, T + 301]) {
      expect(verifyWebhookSignature({ header, body: BODY, secret: SECRET, now })).toBe(false);
    }
  });

  it('takes another tolerance when given one', () => {
    const opts = { header, body: BODY, secret: SECRET, toleranceSeconds: 10 };
    expect(verifyWebhookSignature({ ...opts, now: T + 10 })).toBe(true);
    expect(verifyWebhookSignature({ ...opts, now: T + 11 })).toBe(false);
  });

  it('reads the clock when no time is given', () => {
    const now = Math.floor(Date.now() / 1000);
    const fresh = signWebhook(BODY, [SECRET], now);
    expect(verifyWebhookSignature({ header: fresh, body: BODY, secret: SECRET })).toBe(true);
    expect(verifyWebhookSignature({ header, body: BODY, secret: SECRET })).toBe(false);
  });

  it('accepts a header whose matching signature is not the first', () => {
    const rotated = signWebhook(BODY, ['new', SECRET], T);
    expect(verifyWebhookSignature({ header: rotated, body: BODY, secret: SECRET, now: T })).toBe(
      true,
    );
  });
});
