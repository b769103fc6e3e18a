import fc from 'fast-check';
import { asTenantId } from '@malipo/common';
import { CallbackToken } from './callback-token';

const BANNED = ['mpesa', 'm-pesa', 'safaricom', 'exe', 'exec', 'cmd', 'sql', 'query'];

describe(CallbackToken.name, () => {
  const sut = new CallbackToken('s'.repeat(40));

  it('round-trips the tenant and attempt it was issued for', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), (t, a) => {
        const target = { tenantId: asTenantId(t.toLowerCase()), attemptId: a.toLowerCase() };
        expect(sut.verify(sut.issue(target))).toEqual(target);
      }),
    );
  });

  it('rejects any changed character, another secret, and garbage', () => {
    const token = sut.issue({
      tenantId: asTenantId(crypto.randomUUID()),
      attemptId: crypto.randomUUID(),
    });
    fc.assert(
      fc.property(
        fc.nat({ max: token.length - 1 }),
        fc.constantFrom(...'0123456789abcdef.-x'),
        (i, c) => {
          fc.pre(token[i] !== c);
          expect(sut.verify(token.slice(0, i) + c + token.slice(i + 1))).toBeUndefined();
        },
      ),
    );
    expect(new CallbackToken('t'.repeat(40)).verify(token)).toBeUndefined();
    fc.assert(fc.property(fc.string(), (s) => expect(sut.verify(s)).toBeUndefined()));
  });

  it('builds callback URLs free of the words Daraja rejects', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), (t, a) => {
        const url = sut
          .callbackUrl('https://pay.example.co.ke/', { tenantId: asTenantId(t), attemptId: a })
          .toLowerCase();
        expect(url.startsWith('https://pay.example.co.ke/v1/hooks/stk/')).toBe(true);
        for (const word of BANNED) expect(url).not.toContain(word);
      }),
    );
  });
});

describe(`${CallbackToken.name} (token shapes)`, () => {
  const sut = new CallbackToken('s'.repeat(40));
  const tenantId = asTenantId('0b9c2f4e-8d1a-4c3b-9e7f-1a2b3c4d5e6f');
  const attemptId = '7c6d5e4f-3a2b-4c1d-8e9f-0a1b2c3d4e5f';
  const token = sut.issue({ tenantId, attemptId });
  const [, , mac] = token.split('.');

  it('is <tenantId>.<attemptId>.<32 hex digits>', () => {
    expect(token).toMatch(new RegExp(`^${tenantId}\\.${attemptId}\\.[0-9a-f]{32}$`));
  });

  it.each([
    ['a fourth part', `${token}.x`],
    ['two parts', `${tenantId}.${attemptId}`],
    ['a tenant that is not a UUID', `tenant.${attemptId}.${mac}`],
    ['an attempt that is not a UUID', `${tenantId}.attempt.${mac}`],
    ['an upper-case UUID', `${tenantId.toUpperCase()}.${attemptId}.${mac}`],
    ['a short MAC', `${tenantId}.${attemptId}.${mac.slice(1)}`],
    ['a long MAC', `${tenantId}.${attemptId}.${mac}0`],
    ['the MAC of another attempt', `${tenantId}.${tenantId}.${mac}`],
    ['an upper-case MAC', `${tenantId}.${attemptId}.${mac.toUpperCase()}`],
  ])('refuses a token with %s', (_, forged) => {
    expect(sut.verify(forged)).toBeUndefined();
  });

  it('builds the URL under the base whatever its trailing slashes', () => {
    for (const base of ['https://pay.example', 'https://pay.example/', 'https://pay.example///']) {
      expect(sut.callbackUrl(base, { tenantId, attemptId })).toBe(
        `https://pay.example/v1/hooks/stk/${token}`,
      );
    }
  });
});
