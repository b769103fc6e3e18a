import fc from 'fast-check';
import {
  generateWebhookSecret,
  parseSignatureHeader,
  signWebhook,
  verifyWebhookSignature,
} from './webhook-signature';

const secretArb = fc.string({ minLength: 1, maxLength: 64 });
const bodyArb = fc.string({ maxLength: 500 });
const tsArb = fc.integer({ min: 1_600_000_000, max: 2_000_000_000 });

describe('webhook signatures', () => {
  it('verifies what it signed, at any timestamp within the tolerance', () => {
    fc.assert(
      fc.property(
        secretArb,
        bodyArb,
        tsArb,
        fc.integer({ min: -300, max: 300 }),
        (s, b, t, skew) => {
          const header = signWebhook(b, [s], t);
          expect(verifyWebhookSignature({ header, body: b, secret: s, now: t + skew })).toBe(true);
        },
      ),
    );
  });

  it('fails for any change to the body', () => {
    fc.assert(
      fc.property(secretArb, bodyArb, bodyArb, tsArb, (s, b, other, t) => {
        fc.pre(other !== b);
        const header = signWebhook(b, [s], t);
        expect(verifyWebhookSignature({ header, body: other, secret: s, now: t })).toBe(false);
      }),
    );
  });

  it('fails for any change to the timestamp in the header', () => {
    fc.assert(
      fc.property(
        secretArb,
        bodyArb,
        tsArb,
        fc.integer({ min: -1000, max: 1000 }),
        (s, b, t, d) => {
          fc.pre(d !== 0);
          const header = signWebhook(b, [s], t).replace(`t=${t}`, `t=${t + d}`);
          // Even with a clock that accepts the forged timestamp, the HMAC no longer matches.
          expect(verifyWebhookSignature({ header, body: b, secret: s, now: t + d })).toBe(false);
        },
      ),
    );
  });

  it('fails outside the tolerance window (replays)', () => {
    fc.assert(
      fc.property(
        secretArb,
        bodyArb,
        tsArb,
        fc.integer({ min: 301, max: 1_000_000 }),
        (s, b, t, age) => {
          const header = signWebhook(b, [s], t);
          expect(verifyWebhookSignature({ header, body: b, secret: s, now: t + age })).toBe(false);
          expect(verifyWebhookSignature({ header, body: b, secret: s, now: t - age })).toBe(false);
        },
      ),
    );
  });

  it('accepts both the old and the new secret during a rotation, and no other', () => {
    fc.assert(
      fc.property(secretArb, secretArb, secretArb, bodyArb, tsArb, (fresh, old, stranger, b, t) => {
        fc.pre(stranger !== fresh && stranger !== old);
        const header = signWebhook(b, [fresh, old], t);
        expect(parseSignatureHeader(header)?.signatures).toHaveLength(2);
        expect(verifyWebhookSignature({ header, body: b, secret: fresh, now: t })).toBe(true);
        expect(verifyWebhookSignature({ header, body: b, secret: old, now: t })).toBe(true);
        expect(verifyWebhookSignature({ header, body: b, secret: stranger, now: t })).toBe(false);
      }),
    );
  });

  it('refuses malformed headers', () => {
    const s = generateWebhookSecret();
    for (const header of [
      undefined,
      '',
      't=1',
      'v1=abc',
      't=x,v1=' + '0'.repeat(64),
      't=1,t=2,v1=' + '0'.repeat(64),
    ]) {
      expect(verifyWebhookSignature({ header, body: '{}', secret: s, now: 1 })).toBe(false);
    }
  });

  it('makes distinct, prefixed secrets', () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(generateWebhookSecret()).not.toBe(a);
  });
});
