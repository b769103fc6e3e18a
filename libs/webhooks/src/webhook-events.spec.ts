import { WEBHOOK_EVENT_TYPES, typesForPaymentEvent, webhookEventId } from './webhook-events';

describe('webhook event types', () => {
  it.each([
    ['succeeded', 'payment.succeeded'],
    ['failed', 'payment.failed'],
    ['cancelled', 'payment.cancelled'],
    ['expired', 'payment.expired'],
    ['reversed', 'payment.reversed'],
  ])('a change to %s is sent as %s and as payment.updated', (status, type) => {
    expect(typesForPaymentEvent(status)).toEqual([type, 'payment.updated']);
  });

  it.each(['created', 'awaiting_customer', 'unknown'])(
    'a change to %s is payment.updated only',
    (s) => {
      expect(typesForPaymentEvent(s)).toEqual(['payment.updated']);
    },
  );

  it('gives every (source, type) its own id, and the same id for the same pair', () => {
    const ids = WEBHOOK_EVENT_TYPES.map((t) => webhookEventId('pe42', t));
    expect(new Set(ids).size).toBe(WEBHOOK_EVENT_TYPES.length);
    expect(webhookEventId('pe42', 'payment.updated')).toBe(
      webhookEventId('pe42', 'payment.updated'),
    );
    expect(webhookEventId('pe42', 'payment.updated')).not.toBe(
      webhookEventId('pe43', 'payment.updated'),
    );
  });
});
