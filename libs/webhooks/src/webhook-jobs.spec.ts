import fc from 'fast-check';
import { WebhookRetryError, retryDelayMs, webhookBackoffStrategy } from './webhook-jobs';

describe('webhook retry delays', () => {
  it('grow exponentially with jitter between half and the whole step, capped', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 10, max: 60_000 }),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        (attempt, base, r) => {
          const max = base * 100;
          const step = Math.min(max, base * 2 ** (attempt - 1));
          const d = retryDelayMs(attempt, base, max, () => r);
          expect(d).toBeGreaterThanOrEqual(Math.floor(step / 2));
          expect(d).toBeLessThanOrEqual(Math.ceil(step));
        },
      ),
    );
  });

  it('hands the delay the processor chose to BullMQ', () => {
    expect(webhookBackoffStrategy(3, 'webhook', new WebhookRetryError('HTTP 500', 1234))).toBe(
      1234,
    );
  });
});
