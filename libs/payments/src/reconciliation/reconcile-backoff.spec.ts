import fc from 'fast-check';
import { mapWithLimit, reconcileBackoffMs } from './reconcile-backoff';

describe(reconcileBackoffMs.name, () => {
  it('grows exponentially within ±20 % and never passes the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (n, r) => {
          const ms = reconcileBackoffMs(n, 500, 8_000, () => r);
          const exact = Math.min(8_000, 500 * 2 ** (n - 1));
          expect(ms).toBeGreaterThanOrEqual(Math.floor(exact * 0.8));
          expect(ms).toBeLessThanOrEqual(Math.ceil(exact * 1.2));
        },
      ),
    );
  });
});

describe(mapWithLimit.name, () => {
  it('keeps order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapWithLimit([...Array(25).keys()], 4, async (i) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 1));
      running--;
      return i * 2;
    });
    expect(out).toEqual([...Array(25).keys()].map((i) => i * 2));
    expect(peak).toBe(4);
  });
});
