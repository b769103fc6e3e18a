import { apiKeyPrefix, describeApiKey, generateApiKey, hashApiKey, safeEqual } from './api-key';

describe('api keys', () => {
  it('generates distinct readable keys whose prefix and hash match', () => {
    const a = generateApiKey('owner');
    const b = generateApiKey('owner');
    expect(a.key).toMatch(/^mlp_owner_[0-9a-f]{48}$/);
    expect(a.key).not.toBe(b.key);
    expect(a.prefix).toBe(a.key.slice(0, 'mlp_owner_'.length + 6));
    expect(a.hash).toBe(hashApiKey(a.key));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hash).not.toContain(a.key.slice(10));
  });

  it('describes a key chosen elsewhere without storing more than a short prefix', () => {
    expect(describeApiKey('mlp_terminal_abcdef0123').prefix).toBe('mlp_terminal_abcdef');
    expect(apiKeyPrefix('my-own-long-demo-key')).toBe('my-own');
  });

  it('compares in constant time and only equal strings are equal', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
