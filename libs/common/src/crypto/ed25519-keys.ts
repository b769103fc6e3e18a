import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

/** The fixed DER prefixes that wrap a raw Ed25519 seed (PKCS#8) and public key (SPKI), RFC 8410. */
const PKCS8_SEED_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const RAW_KEY_BYTES = 32;

/** A key that is not an Ed25519 key in either accepted form; the message never quotes the key. */
export class Ed25519KeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Ed25519KeyError';
  }
}

function strictBase64(text: string): Buffer | undefined {
  const trimmed = text.trim();
  const bytes = Buffer.from(trimmed, 'base64');
  // Node's decoder skips stray characters: only a round trip proves the text was base64.
  return bytes.toString('base64') === trimmed ? bytes : undefined;
}

/** One accepted shape of key text: a PEM, or the base64 of 32 raw bytes. */
interface KeyForm {
  name: string;
  fromPem: (pem: string) => KeyObject;
  fromRaw: (raw: Buffer) => KeyObject;
  expected: string;
}

function readKey(text: string, form: KeyForm): KeyObject {
  if (text.includes('-----BEGIN')) {
    let key: KeyObject;
    try {
      key = form.fromPem(text);
    } catch {
      throw new Ed25519KeyError(`the ${form.name} PEM could not be read`);
    }
    if (key.asymmetricKeyType !== 'ed25519') {
      throw new Ed25519KeyError(`the ${form.name} is not Ed25519`);
    }
    return key;
  }
  const raw = strictBase64(text);
  if (raw?.length !== RAW_KEY_BYTES) throw new Ed25519KeyError(`expected ${form.expected}`);
  return form.fromRaw(raw);
}

/**
 * A signing key from configuration: a PKCS#8 PEM (`openssl genpkey -algorithm ed25519`) or the
 * base64 of the 32-byte seed (one line, easier in an env var or a Kubernetes secret).
 */
export function parseEd25519PrivateKey(text: string): KeyObject {
  return readKey(text, {
    name: 'private key',
    fromPem: (pem) => createPrivateKey({ key: pem, format: 'pem' }),
    fromRaw: (seed) =>
      createPrivateKey({
        key: Buffer.concat([PKCS8_SEED_PREFIX, seed]),
        format: 'der',
        type: 'pkcs8',
      }),
    expected: 'a PKCS#8 PEM or the base64 of a 32-byte Ed25519 seed',
  });
}

/** A verification key: an SPKI PEM or the base64 of the raw 32-byte public key. */
export function parseEd25519PublicKey(text: string): KeyObject {
  return readKey(text, {
    name: 'public key',
    fromPem: (pem) => createPublicKey({ key: pem, format: 'pem' }),
    fromRaw: (raw) =>
      createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' }),
    expected: 'an SPKI PEM or the base64 of a 32-byte Ed25519 public key',
  });
}

/** The 32 raw bytes of an Ed25519 public key (what RFC 8032 calls the public key). */
export function rawEd25519PublicKey(key: KeyObject): Buffer {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - RAW_KEY_BYTES);
}
