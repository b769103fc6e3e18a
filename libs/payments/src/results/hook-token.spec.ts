import fc from 'fast-check';
import { asTenantId } from '@malipo/common';
import { HookToken } from './hook-token';

describe(HookToken.name, () => {
  const sut = new HookToken('s'.repeat(32));
  const target = {
    tenantId: asTenantId('0b8f4a52-9a8e-4a43-9d39-1c7c2f6f0b11'),
    subjectId: '5c2a0f1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
  };

  it('verifies its own token for the same purpose only', () => {
    const token = sut.issue('result', target);
    expect(sut.verify('result', token)).toEqual(target);
    expect(sut.verify('c2b', token)).toBeUndefined();
    expect(new HookToken('t'.repeat(32)).verify('result', token)).toBeUndefined();
  });

  it('refuses any altered character', () => {
    const token = sut.issue('c2b', target);
    fc.assert(
      fc.property(fc.nat(token.length - 1), fc.constantFrom(...'0123456789abcdef.-x'), (i, c) => {
        fc.pre(token[i] !== c);
        const altered = `${token.slice(0, i)}${c}${token.slice(i + 1)}`;
        expect(sut.verify('c2b', altered)).toBeUndefined();
      }),
    );
  });
});
