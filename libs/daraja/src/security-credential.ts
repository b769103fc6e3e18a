import {
  X509Certificate,
  constants,
  createPublicKey,
  publicEncrypt,
  type KeyObject,
} from 'node:crypto';
import { ValidationError } from '@malipo/common';

/** The initiator (API operator) of a shortcode, as the result-based APIs need it (REFERENCE §7.6). */
export interface InitiatorCredentials {
  /** The API operator's username from the portal, not the shortcode (REFERENCE §12). */
  initiatorName: string;
  initiatorPassword: string;
  /** Safaricom's M-Pesa public certificate (PEM); a bare public key PEM is accepted too. */
  certificatePem: string;
}

/** The RSA public key of a certificate or public-key PEM; a ValidationError when it is neither. */
export function publicKeyOf(pem: string): KeyObject {
  try {
    if (pem.includes('BEGIN CERTIFICATE')) return new X509Certificate(pem).publicKey;
    return createPublicKey(pem);
  } catch {
    throw new ValidationError(
      'certificate is not a PEM certificate or public key',
      { field: 'certificatePem' },
      'CHANNEL.INVALID_CERTIFICATE',
    );
  }
}

/**
 * SecurityCredential = base64(RSA-PKCS#1 v1.5(password)) under the M-Pesa certificate, exactly as
 * Safaricom's Node SDK does it. Random padding: the output differs on every call.
 */
export function securityCredential(password: string, certificatePem: string): string {
  const key = publicKeyOf(certificatePem);
  const encrypted = publicEncrypt(
    { key, padding: constants.RSA_PKCS1_PADDING },
    Buffer.from(password, 'utf8'),
  );
  return encrypted.toString('base64');
}
