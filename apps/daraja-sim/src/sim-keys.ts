import { constants, generateKeyPairSync, privateDecrypt, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

/**
 * The simulator's own "M-Pesa public certificate" and its private key, made on first use (RSA
 * 2048, self-signed, one per simulator run; node-forge writes the certificate). SecurityCredential
 * is checked by decrypting with the private key. Node 20 refuses PKCS#1 v1.5 private decryption
 * (CVE-2023-46809 hardening, REFERENCE §12), so the raw RSA operation runs without padding and the
 * v1.5 padding is stripped here: acceptable for a test double, and native speed.
 */
export class SimKeys {
  private pair?: { certificatePem: string; key: KeyObject };

  certificatePem(): string {
    return this.keys().certificatePem;
  }

  /** The plain password inside a SecurityCredential, or undefined when it is not one of ours. */
  decrypt(securityCredential: string): string | undefined {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(securityCredential)) return undefined;
    try {
      const block = privateDecrypt(
        { key: this.keys().key, padding: constants.RSA_NO_PADDING },
        Buffer.from(securityCredential, 'base64'),
      );
      return unpadPkcs1v15(block);
    } catch {
      return undefined;
    }
  }

  private keys(): { certificatePem: string; key: KeyObject } {
    this.pair ??= makeCertificate();
    return this.pair;
  }
}

/** EM = 0x00 || 0x02 || PS (≥ 8 non-zero bytes) || 0x00 || M (RFC 8017 §7.2.2); else undefined. */
export function unpadPkcs1v15(block: Buffer): string | undefined {
  if (block[0] !== 0x00 || block[1] !== 0x02) return undefined;
  const end = block.indexOf(0x00, 2);
  if (end < 10) return undefined;
  return block.subarray(end + 1).toString('utf8');
}

function makeCertificate(): { certificatePem: string; key: KeyObject } {
  // Node makes the key (fast, native); forge only wraps it in a certificate.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(
    privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  ) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(
    publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  );
  cert.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(8))}`;
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 5 * 365 * 86_400_000);
  const subject = [
    { name: 'commonName', value: 'sandbox.daraja-sim.local' },
    { name: 'organizationName', value: 'Malipo Daraja simulator' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.sign(key, forge.md.sha256.create());
  return { certificatePem: forge.pki.certificateToPem(cert), key: privateKey };
}
