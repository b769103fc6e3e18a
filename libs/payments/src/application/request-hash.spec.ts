import fc from 'fast-check';
import { requestHash } from './idempotency.service';

describe(requestHash.name, () => {
  const body = {
    amount: 100,
    phone: '254712345678',
    orderRef: 'A1',
    meta: { till: 3, tags: ['x'] },
  };

  it('is a hex SHA-256 of the canonical JSON', () => {
    expect(requestHash({ b: 1, a: 2 })).toBe(
      // sha256('{"a":2,"b":1}')
      'd3626ac30a87e6f7a6428233b3c68299976865fa5508e4267c5415c76af7a772',
    );
  });

  it('hashes the same body the same, whatever the order of its keys at any depth', () => {
    const reordered = {
      meta: { tags: ['x'], till: 3 },
      orderRef: 'A1',
      phone: '254712345678',
      amount: 100,
    };
    expect(requestHash(reordered)).toBe(requestHash(body));
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (o) => {
        const shuffled = Object.fromEntries(Object.entries(o).reverse());
        expect(requestHash(shuffled)).toBe(requestHash(o));
      }),
    );
  });

  it.each([
    ['another amount', { ...body, amount: 101 }],
    ['another phone', { ...body, phone: '254712345679' }],
    ['a missing field', { amount: 100, phone: '254712345678', meta: body.meta }],
    ['a null field', { ...body, orderRef: null }],
    ['a number as text', { ...body, amount: '100' }],
    ['a nested change', { ...body, meta: { till: 4, tags: ['x'] } }],
    ['a longer list', { ...body, meta: { till: 3, tags: ['x', 'y'] } }],
  ])('tells a body with %s apart', (_, other) => {
    expect(requestHash(other)).not.toBe(requestHash(body));
  });

  it('keeps list order: a list is data, not a set', () => {
    expect(requestHash([1, 2])).not.toBe(requestHash([2, 1]));
    expect(requestHash({ l: [{ b: 1, a: 2 }] })).toBe(requestHash({ l: [{ a: 2, b: 1 }] }));
  });
});
