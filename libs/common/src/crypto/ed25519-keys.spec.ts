import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import fc from 'fast-check';
import {
  Ed25519KeyError,
  parseEd25519PrivateKey,
  parseEd25519PublicKey,
  rawEd25519PublicKey,
} from './ed25519-keys';

// RFC 8032, 7.1 test 1: the seed and the public key it gives.
const SEED = Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex');
const PUBLIC = Buffer.from(
  'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
  'hex',
);

describe('Ed25519 keys from configuration', () => {
  it('reads the base64 of a 32-byte seed as the RFC 8032 key it names', () => {
    const key = parseEd25519PrivateKey(SEED.toString('base64'));
    expect(rawEd25519PublicKey(key)).toEqual(PUBLIC);
    expect(rawEd25519PublicKey(createPublicKey(key))).toEqual(PUBLIC);
  });

  it('reads a PKCS#8 PEM and the SPKI PEM or raw base64 of its public key', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const key = parseEd25519PrivateKey(pem);
    const message = Buffer.from('checkpoint');
    const signature = sign(null, message, key);
    const spki = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(verify(null, message, parseEd25519PublicKey(spki), signature)).toBe(true);
    const raw = rawEd25519PublicKey(publicKey).toString('base64');
    expect(verify(null, message, parseEd25519PublicKey(raw), signature)).toBe(true);
  });

  it.each([
    ['too short', Buffer.alloc(31).toString('base64')],
    ['too long', Buffer.alloc(33).toString('base64')],
    ['not base64', `${SEED.toString('base64')}!`],
    ['a broken PEM', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----'],
  ])('refuses %s without quoting it', (_, text) => {
    expect(() => parseEd25519PrivateKey(text)).toThrow(Ed25519KeyError);
    expect(() => parseEd25519PublicKey(text)).toThrow(Ed25519KeyError);
    try {
      parseEd25519PrivateKey(text);
    } catch (error) {
      expect((error as Error).message).not.toContain(text);
    }
  });

  it('refuses keys of another algorithm', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => parseEd25519PrivateKey(pem)).toThrow(/not Ed25519/);
    const spki = publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(() => parseEd25519PublicKey(spki)).toThrow(/not Ed25519/);
  });

  it('gives every seed a key whose raw public key reads back as the same key (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const key = parseEd25519PrivateKey(Buffer.from(seed).toString('base64'));
        const raw = rawEd25519PublicKey(key);
        expect(raw).toHaveLength(32);
        const again = parseEd25519PublicKey(raw.toString('base64'));
        expect(rawEd25519PublicKey(again)).toEqual(raw);
      }),
      { numRuns: 50 },
    );
  });
});
