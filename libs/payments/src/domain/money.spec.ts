import fc from 'fast-check';
import { sameAmount } from './money';

describe(sameAmount.name, () => {
  it('says money moved only for the whole amount asked', () => {
    expect(sameAmount(100, 100)).toBe(true);
    expect(sameAmount(1, 1)).toBe(true);
  });

  it.each([
    ['less', 99],
    ['more', 101],
    ['nothing read', undefined],
    ['a fraction above', 100.5],
    ['a fraction below', 99.999],
    ['NaN', NaN],
    ['infinity', Infinity],
    ['a negative', -100],
  ])('refuses %s', (_, reported) => {
    expect(sameAmount(100, reported)).toBe(false);
  });

  it('refuses an amount past the safe integers, even when it compares equal', () => {
    const huge = Number.MAX_SAFE_INTEGER + 1;
    expect(huge === huge + 1).toBe(true); // why: past 2^53 a double cannot tell them apart
    expect(sameAmount(huge, huge)).toBe(false);
  });

  it('refuses anything that is not a number, whatever it looks like', () => {
    for (const reported of ['100', [100], { valueOf: () => 100 }, true, null]) {
      expect(sameAmount(100, reported as unknown as number)).toBe(false);
    }
  });

  it('agrees with integer equality over every whole amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 250_000 }),
        fc.integer({ min: 0, max: 500_000 }),
        (a, b) => {
          expect(sameAmount(a, b)).toBe(a === b);
        },
      ),
    );
  });
});
