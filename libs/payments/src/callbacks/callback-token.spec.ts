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
