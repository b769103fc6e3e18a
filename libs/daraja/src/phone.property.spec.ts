import fc from 'fast-check';
import { ValidationError } from '@malipo/common';
import { normalisePhone } from './phone';

const national = fc
  .tuple(fc.constantFrom('7', '1'), fc.stringMatching(/^\d{8}$/))
  .map(([first, rest]) => `${first}${rest}`);
const prefix = fc.constantFrom('', '0', '254', '+254');

/** Sprinkles spaces and dashes between characters, the way cashiers type numbers. */
const withSeparators = (text: string): fc.Arbitrary<string> =>
  fc
    .array(fc.constantFrom('', '', '', ' ', '-', '  ', ' - '), {
      minLength: text.length,
      maxLength: text.length,
    })
    .map((seps) =>
      text
        .split('')
        .map((c, i) => (i === 0 ? c : `${seps[i]}${c}`))
        .join(''),
    );

/** The rule written independently of the implementation: prefix + [17] + 8 digits. */
function oracle(input: string): string | undefined {
  const compact = input.trim().replace(/[\s-]/g, '');
  for (const p of ['+254', '254', '0', '']) {
    if (compact.startsWith(p)) {
      const rest = compact.slice(p.length);
      if (rest.length === 9 && (rest[0] === '7' || rest[0] === '1') && /^\d+$/.test(rest)) {
        return `254${rest}`;
      }
    }
  }
  return undefined;
}

describe(normalisePhone.name, () => {
  it('maps every valid form, spaced or dashed, to the canonical 254 form', () => {
    fc.assert(
      fc.property(prefix, national, (p, n) =>
        fc.assert(
          fc.property(withSeparators(`${p}${n}`), (typed) => {
            expect(normalisePhone(typed)).toBe(`254${n}`);
          }),
          { numRuns: 3 },
        ),
      ),
    );
  });

  it('accepts exactly what the rule accepts and rejects everything else', () => {
    const noise = fc.oneof(
      fc.string(),
      fc.stringMatching(/^[+0-9 -]{0,16}$/),
      fc.tuple(prefix, fc.stringMatching(/^\d{7,10}$/)).map(([p, d]) => `${p}${d}`),
    );
    fc.assert(
      fc.property(noise, (input) => {
        const expected = oracle(input);
        if (expected) {
          expect(normalisePhone(input)).toBe(expected);
        } else {
          expect(() => normalisePhone(input)).toThrow(ValidationError);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('names the field and never echoes the number', () => {
    try {
      normalisePhone('0812345678', 'customerPhone');
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).details).toEqual({ field: 'customerPhone' });
      expect((error as Error).message).toContain('customerPhone');
      expect((error as Error).message).not.toContain('812345678');
    }
  });

  it.each(['', '0712', '+0712345678', '00254712345678', '254812345678', '07123456789', 'abc'])(
    'rejects %p',
    (input) => expect(() => normalisePhone(input)).toThrow(ValidationError),
  );
});
