import { X509Certificate } from 'node:crypto';
import fc from 'fast-check';
import { securityCredential } from '@malipo/daraja';
import { SimKeys, unpadPkcs1v15 } from './sim-keys';

describe(SimKeys.name, () => {
  const sut = new SimKeys();

  it('serves a real X.509 certificate and reads back what was encrypted with it', () => {
    const pem = sut.certificatePem();
    expect(new X509Certificate(pem).publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 64 }), (password) => {
        expect(sut.decrypt(securityCredential(password, pem))).toBe(password);
      }),
      { numRuns: 25 },
    );
  });

  it('reads nothing from junk or from a credential made for another key', () => {
    expect(sut.decrypt('not base64 !')).toBeUndefined();
    expect(sut.decrypt(Buffer.alloc(256, 7).toString('base64'))).toBeUndefined();
    const other = new SimKeys();
    expect(
      sut.decrypt(securityCredential('Safaricom999!*!', other.certificatePem())),
    ).toBeUndefined();
  });

  it('strips v1.5 padding only when it is well formed', () => {
    const good = Buffer.concat([
      Buffer.from([0, 2]),
      Buffer.alloc(8, 9),
      Buffer.from([0]),
      Buffer.from('pw'),
    ]);
    expect(unpadPkcs1v15(good)).toBe('pw');
    expect(unpadPkcs1v15(Buffer.concat([Buffer.from([0, 1]), good.subarray(2)]))).toBeUndefined();
    const shortPad = Buffer.concat([
      Buffer.from([0, 2]),
      Buffer.alloc(3, 9),
      Buffer.from([0]),
      Buffer.from('pw'),
    ]);
    expect(unpadPkcs1v15(shortPad)).toBeUndefined();
  });
});
