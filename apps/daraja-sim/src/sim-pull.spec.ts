import { pullAnswer } from './sim-pull';
import type { SimTransaction } from './sim-records';

const txn = (over: Partial<SimTransaction>): SimTransaction =>
  ({
    merchantRequestId: 'm',
    checkoutRequestId: `ws_CO_${Math.random()}`,
    shortcode: '174379',
    partyB: '174379',
    transactionType: 'CustomerPayBillOnline',
    phone: '254712345678',
    amount: 10,
    callbackUrl: 'http://x',
    accountReference: 'ORDER1',
    scenario: {} as never,
    createdAt: '2026-11-22T08:00:00.000Z',
    status: 'completed',
    resultCode: 0,
    receipt: 'TKM1234567',
    completedAt: '2026-11-22T08:00:05.000Z',
    prompt: true,
    ...over,
  }) as SimTransaction;

describe(pullAnswer.name, () => {
  const body = {
    ShortCode: '174379',
    StartDate: '2026-11-22 11:00:00', // EAT = 08:00Z
    EndDate: '2026-11-22 11:10:00',
    OffSetValue: '0',
  };

  it('lists paid transactions of the shortcode in the window, with masked numbers', () => {
    const answer = pullAnswer(
      [
        txn({}),
        txn({ receipt: undefined, status: 'pending', completedAt: undefined }),
        txn({ shortcode: '600000', receipt: 'TKM0000001' }),
        txn({ receipt: 'TKM7654321', completedAt: '2026-11-22T09:00:00.000Z' }),
      ],
      body,
    );
    expect(answer.status).toBe(200);
    const rows = (answer.body as { Response: Record<string, string>[][] }).Response[0];
    expect(rows).toEqual([
      expect.objectContaining({
        transactionId: 'TKM1234567',
        billreference: 'ORDER1',
        amount: '10',
        msisdn: '2547 ***** 678',
        transactiontype: 'c2b-pay-bill-debit',
      }),
    ]);
  });

  it('refuses malformed dates and shortcodes like Daraja', () => {
    expect(pullAnswer([], { ...body, StartDate: '2026-11-22' }).status).toBe(400);
    expect(pullAnswer([], { ...body, ShortCode: 'abc' }).status).toBe(400);
  });
});
