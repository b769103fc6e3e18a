import { createPublicKey, type KeyObject } from 'node:crypto';
import { parseEd25519PrivateKey, parseEd25519PublicKey, rawEd25519PublicKey } from '@malipo/common';
import {
  CHECKPOINT_ALGORITHM,
  checkpointKeysOf,
  keyIdOf,
  signCheckpoint,
  type CheckpointContent,
  type CheckpointKeys,
  type SignedCheckpoint,
} from './checkpoint';

/** What `GET /v1/audit/public-key` publishes. */
export interface AuditPublicKeyView {
  algorithm: typeof CHECKPOINT_ALGORITHM;
  keyId: string;
  /** The raw 32-byte Ed25519 public key, base64. */
  publicKey: string;
  /** The same key as an SPKI PEM, for openssl. */
  publicKeyPem: string;
}

/**
 * The checkpoint signing key and the public keys that verify checkpoints: the current key and
 * the earlier ones still configured after a rotation (AUDIT_VERIFY_KEYS).
 */
export class AuditKeyring {
  readonly keyId: string;
  private readonly signingKey: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly keys: Map<string, KeyObject>;

  constructor(signingKeyText: string, verifyKeyTexts: readonly string[] = []) {
    this.signingKey = parseEd25519PrivateKey(signingKeyText);
    this.publicKey = createPublicKey(this.signingKey);
    this.keyId = keyIdOf(rawEd25519PublicKey(this.publicKey));
    const older = verifyKeyTexts.map((text) => parseEd25519PublicKey(text));
    this.keys = checkpointKeysOf([...older, this.publicKey]);
  }

  sign(content: Omit<CheckpointContent, 'keyId'>): SignedCheckpoint {
    return signCheckpoint({ ...content, keyId: this.keyId }, this.signingKey);
  }

  verificationKeys(): CheckpointKeys {
    return this.keys;
  }

  publicKeyView(): AuditPublicKeyView {
    return {
      algorithm: CHECKPOINT_ALGORITHM,
      keyId: this.keyId,
      publicKey: rawEd25519PublicKey(this.publicKey).toString('base64'),
      publicKeyPem: this.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    };
  }
}
