import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { AppError } from '../errors/app-error';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A sealed value could not be opened: wrong key, unknown key id, or tampered bytes. */
export class SecretBoxError extends AppError {
  readonly kind = 'internal';
  readonly code = 'CRYPTO.OPEN_FAILED';
}

export interface Sealed {
  /** `v1.<keyId>.<iv>.<tag>.<ciphertext>`, base64url parts; safe to store as text. */
  sealed: string;
  keyId: string;
}

export interface SecretBoxKeys {
  /** Key id new values are sealed with. */
  currentKeyId: string;
  /** Key id → key material (any string; sha256 makes it 32 bytes). Older ids stay for rotation. */
  keys: Record<string, string>;
}

function deriveKey(material: string): Buffer {
  return createHash('sha256').update(material, 'utf8').digest();
}

/** Strict base64url: Node's decoder ignores stray characters and spare bits, so re-encode and compare. */
function decodePart(part: string, expectedBytes?: number): Buffer {
  const bytes = Buffer.from(part, 'base64url');
  if (bytes.toString('base64url') !== part) throw new SecretBoxError('sealed value is malformed');
  if (expectedBytes !== undefined && bytes.length !== expectedBytes) {
    throw new SecretBoxError('sealed value is malformed');
  }
  return bytes;
}

/**
 * AES-256-GCM for channel secrets at rest. The key id travels inside the sealed string (and is
 * authenticated as associated data), so values sealed before a key rotation still open as long as
 * the old key is configured.
 */
export class SecretBox {
  private readonly keys = new Map<string, Buffer>();

  constructor(private readonly config: SecretBoxKeys) {
    for (const [id, material] of Object.entries(config.keys)) {
      if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new Error(`invalid key id: ${id}`);
      this.keys.set(id, deriveKey(material));
    }
    if (!this.keys.has(config.currentKeyId)) {
      throw new Error(`no key for current key id ${config.currentKeyId}`);
    }
  }

  static fromConfig(
    config: { CREDENTIALS_KEY: string; CREDENTIALS_KEY_ID: string },
    previousKeys: Record<string, string> = {},
  ): SecretBox {
    return new SecretBox({
      currentKeyId: config.CREDENTIALS_KEY_ID,
      keys: { ...previousKeys, [config.CREDENTIALS_KEY_ID]: config.CREDENTIALS_KEY },
    });
  }

  get currentKeyId(): string {
    return this.config.currentKeyId;
  }

  seal(value: unknown): Sealed {
    const keyId = this.config.currentKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(keyId) as Buffer, iv);
    cipher.setAAD(Buffer.from(`${VERSION}.${keyId}`, 'utf8'));
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'));
    return { sealed: [VERSION, keyId, ...parts].join('.'), keyId };
  }

  open<T = unknown>(sealed: string): T {
    const parts = sealed.split('.');
    if (parts.length !== 5 || parts[0] !== VERSION) {
      throw new SecretBoxError('sealed value is malformed');
    }
    const [, keyId, ivPart, tagPart, bodyPart] = parts;
    const key = this.keys.get(keyId);
    if (!key) throw new SecretBoxError(`no key for key id ${keyId}`, { keyId });
    const decipher = createDecipheriv('aes-256-gcm', key, decodePart(ivPart, IV_BYTES));
    decipher.setAAD(Buffer.from(`${VERSION}.${keyId}`, 'utf8'));
    decipher.setAuthTag(decodePart(tagPart, TAG_BYTES));
    try {
      const plain = Buffer.concat([decipher.update(decodePart(bodyPart)), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as T;
    } catch (error) {
      throw new SecretBoxError('sealed value failed authentication', { keyId }, { cause: error });
    }
  }
}
