import { ValidationError } from '@malipo/common';
import type { DarajaCredentials, StkPushInput } from './daraja.types';
import fc from 'fast-check';
import {
  accountReferenceFor,
  buildStkPushRequest,
  sanitiseAccountReference,
  sanitiseTransactionDesc,
  transactionDescFor,
} from './stk-request';

const paybill: DarajaCredentials = {
  baseUrl: 'http://sim',
  kind: 'paybill',
  shortcode: '174379',
  partyB: '174379',
  passkey: 'bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919',
  consumerKey: 'k',
  consumerSecret: 's',
};
const till: DarajaCredentials = {
  ...paybill,
  kind: 'till',
  shortcode: '174380',
  partyB: '5123456',
};
const input: StkPushInput = {
  amount: 10,
  phone: '254712345678',
  callbackUrl: 'https://pay.example.com/v1/hooks/stk/abc123',
  accountReference: 'ORDER-42',
  transactionDesc: 'Goods & co',
};
const at = new Date('2021-06-28T06:24:08Z'); // 09:24:08 EAT

describe(buildStkPushRequest.name, () => {
  it('builds a paybill push with one timestamp for Password and body', () => {
    const { body, redacted } = buildStkPushRequest(paybill, input, at);
    expect(body).toEqual({
      BusinessShortCode: 174379,
      Password: Buffer.from(`174379${paybill.passkey}20210628092408`).toString('base64'),
      Timestamp: '20210628092408',
      TransactionType: 'CustomerPayBillOnline',
      Amount: 10,
      PartyA: '254712345678',
      PartyB: '174379',
      PhoneNumber: '254712345678',
      CallBackURL: input.callbackUrl,
      AccountReference: 'ORDER42',
      TransactionDesc: 'Goods co',
    });
    expect(redacted).not.toHaveProperty('Password');
  });

  it('builds a till push: store number as shortcode, till as PartyB', () => {
    const { body } = buildStkPushRequest(till, input, at);
    expect(body).toMatchObject({
      BusinessShortCode: 174380,
      TransactionType: 'CustomerBuyGoodsOnline',
      PartyB: '5123456',
    });
    expect(Buffer.from(String(body.Password), 'base64').toString()).toMatch(/^174380/);
  });

  it.each<[string, Partial<StkPushInput>, DarajaCredentials?]>([
    ['amount', { amount: 0 }],
    ['amount', { amount: 10.5 }],
    ['amount', { amount: 250_001 }],
    ['phone', { phone: '0812345678' }],
    ['accountReference', { accountReference: 'ABCDEFGHIJKLM' }],
    ['accountReference', { accountReference: '!!!' }],
    ['transactionDesc', { transactionDesc: 'fourteen chars' }],
    ['callbackUrl', { callbackUrl: 'https://x.example.com/mpesa/cb' }],
    ['callbackUrl', { callbackUrl: 'https://x.example.com/stk/query-result' }],
    ['callbackUrl', { callbackUrl: 'not a url' }],
    ['partyB', {}, { ...paybill, partyB: '600000' }],
  ])('rejects a bad %s', (field, patch, creds = paybill) => {
    try {
      buildStkPushRequest(creds, { ...input, ...patch }, at);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).details).toEqual({ field });
    }
  });

  it('accepts the limits', () => {
    expect(buildStkPushRequest(paybill, { ...input, amount: 1 }, at).body.Amount).toBe(1);
    expect(buildStkPushRequest(paybill, { ...input, amount: 250_000 }, at).body.Amount).toBe(
      250_000,
    );
    const ref = buildStkPushRequest(paybill, { ...input, accountReference: 'ABCDEFGHIJKL' }, at);
    expect(ref.body.AccountReference).toBe('ABCDEFGHIJKL');
  });

  it('makes any order reference and description a value the request builder accepts unchanged', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 40 }),
        fc.option(fc.string({ maxLength: 40 })),
        (ref, d) => {
          const account = accountReferenceFor(ref);
          const desc = transactionDescFor(d);
          expect(sanitiseAccountReference(account)).toBe(account);
          expect(sanitiseTransactionDesc(desc)).toBe(desc.replace(/\s+/g, ' '));
        },
      ),
    );
    expect(accountReferenceFor('ORD-2026/0001-ABC')).toBe('ORD20260001A');
    expect(accountReferenceFor('---')).toBe('POS');
  });
});
