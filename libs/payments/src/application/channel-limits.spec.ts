import fc from 'fast-check';
import { checkChannelLimits } from './channel-limits';

describe(checkChannelLimits.name, () => {
  it('accepts exactly the amounts inside the window (either end may be open)', () => {
    const bound = fc.option(fc.integer({ min: 1, max: 250_000 }), { nil: null });
    fc.assert(
      fc.property(
        bound,
        bound,
        fc.integer({ min: 1, max: 250_000 }),
        (minAmount, maxAmount, amount) => {
          const inside =
            (minAmount === null || amount >= minAmount) &&
            (maxAmount === null || amount <= maxAmount);
          const run = () => checkChannelLimits({ minAmount, maxAmount }, amount);
          if (inside) expect(run).not.toThrow();
          else {
            expect(run).toThrow(expect.objectContaining({ code: 'PAYMENT.AMOUNT_OUT_OF_RANGE' }));
          }
        },
      ),
    );
  });
});
