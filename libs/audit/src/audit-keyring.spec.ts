import { createHash, createPublicKey } from 'node:crypto';
import { AuditKeyring } from './audit-keyring';
import { verifyCheckpointSignature } from './checkpoint';

const seed = (n: number) => Buffer.alloc(32, n).toString('base64');
const CONTENT = {
  chainId: '7d2f9a7e-5c1b-4d4e-9a53-0b0e6f7a1c11',
  seq: 9,
  headHash: 'cd'.repeat(32),
  at: '2026-11-28T10:00:00.000Z',
};

describe(AuditKeyring.name, () => {
  it('publishes the raw key, its PEM and the key id every checkpoint names', () => {
    const sut = new AuditKeyring(seed(1));
    const view = sut.publicKeyView();
    const raw = Buffer.from(view.publicKey, 'base64');
    expect(view.algorithm).toBe('Ed25519');
    expect(raw).toHaveLength(32);
    expect(view.keyId).toBe(createHash('sha256').update(raw).digest('hex').slice(0, 16));
    expect(sut.keyId).toBe(view.keyId);
    const cp = sut.sign(CONTENT);
    expect(cp.keyId).toBe(view.keyId);
    expect(verifyCheckpointSignature(cp, createPublicKey(view.publicKeyPem))).toBe(true);
  });

  it('still verifies what an earlier key signed once its public key is configured', () => {
    const old = new AuditKeyring(seed(1));
    const signedBefore = old.sign(CONTENT);
    const sut = new AuditKeyring(seed(2), [old.publicKeyView().publicKey]);
    const keys = sut.verificationKeys();
    expect([...keys.keys()].sort()).toEqual([old.keyId, sut.keyId].sort());
    expect(verifyCheckpointSignature(signedBefore, keys.get(signedBefore.keyId)!)).toBe(true);
    expect(new AuditKeyring(seed(2)).verificationKeys().has(old.keyId)).toBe(false);
  });
});
