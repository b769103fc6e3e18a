import { SecretBox, SecretBoxError } from './secret-box';

const KEY_1 = 'first-credentials-key-0123456789abcdef';
const KEY_2 = 'second-credentials-key-0123456789abcdef';
const SECRETS = {
  passkey: 'bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919',
  consumerKey: 'malipo-sim-key',
  consumerSecret: 'malipo-sim-secret',
};

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Flips the lowest bit of one base64url digit: the bit lenient decoders ignore at the end. */
function flipChar(text: string, index: number): string {
  const at = BASE64URL.indexOf(text[index]);
  const replacement = at >= 0 ? BASE64URL[at ^ 1] : 'A';
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

describe(SecretBox.name, () => {
  const sut = new SecretBox({ currentKeyId: 'k1', keys: { k1: KEY_1 } });

  it('opens what it sealed, and records the key id', () => {
    const { sealed, keyId } = sut.seal(SECRETS);
    expect(keyId).toBe('k1');
    expect(sealed.split('.')[1]).toBe('k1');
    expect(sut.open(sealed)).toEqual(SECRETS);
  });

  it('never contains the plaintext, and seals the same value differently each time', () => {
    const a = sut.seal(SECRETS).sealed;
    const b = sut.seal(SECRETS).sealed;
    expect(a).not.toBe(b);
    for (const value of Object.values(SECRETS)) {
      expect(a).not.toContain(value);
      expect(a).not.toContain(Buffer.from(value).toString('base64'));
      expect(a).not.toContain(Buffer.from(value).toString('base64url'));
    }
  });

  it('refuses a sealed value with any single character changed', () => {
    const { sealed } = sut.seal(SECRETS);
    for (let i = 0; i < sealed.length; i++) {
      if (sealed[i] === '.') continue;
      expect(() => sut.open(flipChar(sealed, i))).toThrow(SecretBoxError);
    }
  });

  it('refuses a sealed value with any ciphertext byte changed', () => {
    const { sealed } = sut.seal(SECRETS);
    const parts = sealed.split('.');
    const body = Buffer.from(parts[4], 'base64url');
    for (let i = 0; i < body.length; i++) {
      const tampered = Buffer.from(body);
      tampered[i] ^= 0x01;
      parts[4] = tampered.toString('base64url');
      expect(() => sut.open(parts.join('.'))).toThrow(SecretBoxError);
    }
  });

  it('refuses a value sealed under a different key with the same id', () => {
    const other = new SecretBox({ currentKeyId: 'k1', keys: { k1: KEY_2 } });
    expect(() => sut.open(other.seal(SECRETS).sealed)).toThrow(SecretBoxError);
  });

  it('opens values sealed with an older key after rotation, and seals with the new one', () => {
    const old = sut.seal(SECRETS).sealed;
    const rotated = SecretBox.fromConfig(
      { CREDENTIALS_KEY: KEY_2, CREDENTIALS_KEY_ID: 'k2' },
      { k1: KEY_1 },
    );
    expect(rotated.open(old)).toEqual(SECRETS);
    const fresh = rotated.seal(SECRETS);
    expect(fresh.keyId).toBe('k2');
    expect(() => sut.open(fresh.sealed)).toThrow(/no key for key id k2/);
  });

  it('refuses to relabel a value with another configured key id', () => {
    const both = new SecretBox({ currentKeyId: 'k2', keys: { k1: KEY_1, k2: KEY_1 } });
    const sealed = both.seal(SECRETS).sealed;
    expect(() => both.open(sealed.replace('.k2.', '.k1.'))).toThrow(SecretBoxError);
  });
});
