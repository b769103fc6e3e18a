import { checkAmount, checkPhone, formatPhoneInput } from './phone';

describe('checkPhone', () => {
  it.each(['0712345678', '0112345678', '+254712345678', '254712345678', '0712 345-678'])(
    'accepts %s',
    (input) => expect(checkPhone(input)).toMatchObject({ ok: true }),
  );

  it('says what is wrong', () => {
    expect(checkPhone('')).toMatchObject({ ok: false, problem: expect.stringMatching(/Enter/) });
    expect(checkPhone('071234567')).toMatchObject({ problem: expect.stringMatching(/too short/) });
    expect(checkPhone('07123456789')).toMatchObject({ problem: expect.stringMatching(/too long/) });
    expect(checkPhone('0812345678')).toMatchObject({
      problem: expect.stringMatching(/starts with/),
    });
    expect(checkPhone('07a2345678')).toMatchObject({ problem: expect.stringMatching(/digits/) });
  });

  it('normalises every accepted form to 07… / 01…', () => {
    expect(checkPhone('+254 112 345 678')).toEqual({ ok: true, canonical: '0112345678' });
  });
});

describe('formatPhoneInput', () => {
  it('groups digits as the cashier types', () => {
    expect(formatPhoneInput('0712345678')).toBe('0712 345 678');
    expect(formatPhoneInput('+254712345678')).toBe('+254 712 345 678');
    expect(formatPhoneInput('07123')).toBe('0712 3');
  });
});

describe('checkAmount', () => {
  it('takes whole shillings between 1 and 250,000', () => {
    expect(checkAmount('1,250')).toEqual({ ok: true, amount: 1250 });
    expect(checkAmount('0')).toMatchObject({ ok: false });
    expect(checkAmount('12.5')).toMatchObject({ ok: false });
    expect(checkAmount('300000')).toMatchObject({ ok: false });
  });
});
