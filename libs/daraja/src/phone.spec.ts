import { ValidationError } from '@malipo/common';
import { normalisePhone } from './phone';

describe(normalisePhone.name, () => {
  it.each([
    ['0712345678', '254712345678'],
    ['0112345678', '254112345678'],
    ['712345678', '254712345678'],
    ['+254 712 345 678', '254712345678'],
    ['254-712-345-678', '254712345678'],
    ['  0712345678  ', '254712345678'],
    ['07\t12 34\n5678', '254712345678'],
  ])('reads %j as %s', (typed, msisdn) => {
    expect(normalisePhone(typed)).toBe(msisdn);
  });

  it.each([null, undefined, 712345678, ['0712345678'], { phone: '0712345678' }])(
    'refuses %j, which is not text, as an invalid phone',
    (input) => {
      expect(() => normalisePhone(input as unknown as string)).toThrow(
        expect.objectContaining({
          code: 'VALIDATION.INVALID_PHONE',
          details: { field: 'phone' },
        }) as Error,
      );
    },
  );

  it.each(['', '   ', '254', '+254', '0', '07123456 78x', '0712345678 0712345678', '25407123456'])(
    'refuses %j',
    (input) => {
      expect(() => normalisePhone(input)).toThrow(ValidationError);
    },
  );
});
