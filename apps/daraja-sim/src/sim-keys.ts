import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

/**
 * The simulator's own "M-Pesa public certificate" and its private key, made on first use (RSA
 * 2048, self-signed, one per simulator run). SecurityCredential is checked by decrypting with the
 * private key; Node 20 refuses PKCS#1 v1.5 private decryption (CVE-2023-46809 hardening,
 * REFERENCE §12), so node-forge does it.
 */
export class SimKeys {
  private pair?: { certificatePem: string; key: forge.pki.rsa.PrivateKey };

  certificatePem(): string {
    return this.keys().certificatePem;
  }

  /** The plain password inside a SecurityCredential, or undefined when it is not one of ours. */
  decrypt(securityCredential: string): string | undefined {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(securityCredential)) return undefined;
    try {
      const bytes = forge.util.decode64(securityCredential);
      const plain = this.keys().key.decrypt(bytes, 'RSAES-PKCS1-V1_5');
      return forge.util.decodeUtf8(plain);
    } catch {
      return undefined;
    }
  }

  private keys(): { certificatePem: string; key: forge.pki.rsa.PrivateKey } {
    this.pair ??= makeCertificate();
    return this.pair;
  }
}

function makeCertificate(): { certificatePem: string; key: forge.pki.rsa.PrivateKey } {
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
  return { certificatePem: forge.pki.certificateToPem(cert), key };
}
