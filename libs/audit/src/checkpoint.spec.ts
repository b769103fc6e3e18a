import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { anAuditChain } from '../../../test/factories/audit-chain';
import {
  checkpointMessage,
  headsAt,
  keyIdOf,
  signCheckpoint,
  verifyCheckpointSignature,
  verifyCheckpoints,
  type CheckpointContent,
  type SignedCheckpoint,
} from './checkpoint';

const CHAIN = '7d2f9a7e-5c1b-4d4e-9a53-0b0e6f7a1c11';

function aKeyPair(): { privateKey: KeyObject; publicKey: KeyObject; keyId: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return { privateKey, publicKey, keyId: keyIdOf(der.subarray(der.length - 32)) };
}

const signer = aKeyPair();
const keys = new Map([[signer.keyId, signer.publicKey]]);

function content(over: Partial<CheckpointContent> = {}): CheckpointContent {
  return {
    chainId: CHAIN,
    seq: 3,
    headHash: 'ab'.repeat(32),
    at: '2026-11-28T10:00:00.000Z',
    keyId: signer.keyId,
    ...over,
  };
}

/** Signed checkpoints of a real chain at the given seqs. */
function checkpointsOf(seqs: number[], length = 10) {
  const entries = anAuditChain(CHAIN, length);
  const heads = headsAt(CHAIN, entries, new Set(seqs));
  const checkpoints = seqs.map((seq) =>
    signCheckpoint(content({ seq, headHash: heads.get(seq)! }), signer.privateKey),
  );
  return { entries, heads, checkpoints, headAt: (seq: number) => heads.get(seq) };
}

describe('audit checkpoints', () => {
  it('signs RFC 8785 JSON of exactly the five fields, members sorted', () => {
    const extra = { ...content(), signature: 'x', note: 'not signed' } as CheckpointContent;
    expect(checkpointMessage(extra).toString('utf8')).toBe(
      `{"at":"2026-11-28T10:00:00.000Z","chainId":"${CHAIN}","headHash":"${'ab'.repeat(32)}",` +
        `"keyId":"${signer.keyId}","seq":3}`,
    );
  });

  it('names a key by the first 16 hex of SHA-256 over its raw 32 bytes', () => {
    // RFC 8032 test vector 1 public key; the id is its SHA-256, cut.
    const raw = Buffer.from(
      'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
      'hex',
    );
    expect(keyIdOf(raw)).toBe('21fe31dfa154a261');
    expect(keyIdOf(raw)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('verifies its own signature and returns only the signed fields plus the signature', () => {
    const cp = signCheckpoint(content(), signer.privateKey);
    expect(Object.keys(cp).sort()).toEqual(
      ['at', 'chainId', 'headHash', 'keyId', 'seq', 'signature'].sort(),
    );
    expect(Buffer.from(cp.signature, 'base64')).toHaveLength(64);
    expect(verifyCheckpointSignature(cp, signer.publicKey)).toBe(true);
  });

  it('rejects a signature under another key, a malformed signature and a non-Ed25519 key', () => {
    const cp = signCheckpoint(content(), signer.privateKey);
    expect(verifyCheckpointSignature(cp, aKeyPair().publicKey)).toBe(false);
    expect(verifyCheckpointSignature({ ...cp, signature: 'AAAA' }, signer.publicKey)).toBe(false);
    expect(
      verifyCheckpointSignature({ ...cp, signature: `${cp.signature}!` }, signer.publicKey),
    ).toBe(false);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    expect(verifyCheckpointSignature(cp, rsa)).toBe(false);
  });

  it('rejects any change to any signed field (property)', () => {
    const field = fc.constantFrom<keyof CheckpointContent>(
      'chainId',
      'seq',
      'headHash',
      'at',
      'keyId',
    );
    fc.assert(
      fc.property(field, fc.nat({ max: 1_000_000 }), (name, n) => {
        const cp = signCheckpoint(content(), signer.privateKey);
        const changed: SignedCheckpoint =
          name === 'seq'
            ? { ...cp, seq: cp.seq + 1 + n }
            : { ...cp, [name]: `${cp[name]}${n.toString(16)}` };
        expect(verifyCheckpointSignature(changed, signer.publicKey)).toBe(false);
      }),
      { numRuns: 50 },
    );
  });

  it('accepts every honest checkpoint of any chain (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { maxLength: 6 }), (seqs) => {
        const { checkpoints, headAt } = checkpointsOf(seqs, 12);
        expect(verifyCheckpoints(CHAIN, checkpoints, headAt, keys)).toEqual({
          valid: true,
          checked: seqs.length,
          firstBadSeq: null,
        });
      }),
      { numRuns: 30 },
    );
  });

  it('reports the lowest bad checkpoint, whatever the order they come in (property)', () => {
    const seqsArb = fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(seqsArb, fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), (seqs, bad) => {
        const { checkpoints, headAt } = checkpointsOf(seqs, 12);
        const tampered = checkpoints.map((cp, i) =>
          bad[i]
            ? {
                ...cp,
                signature: signCheckpoint({ ...cp, seq: cp.seq + 100 }, signer.privateKey)
                  .signature,
              }
            : cp,
        );
        const badSeqs = seqs.filter((_, i) => bad[i]);
        const verdict = verifyCheckpoints(CHAIN, tampered, headAt, keys);
        expect(verdict.firstBadSeq).toBe(badSeqs.length ? Math.min(...badSeqs) : null);
        expect(verdict.valid).toBe(badSeqs.length === 0);
        expect(verdict.checked).toBe(seqs.length - badSeqs.length);
      }),
      { numRuns: 30 },
    );
  });

  it('reports a checkpoint with a bad signature at its seq', () => {
    const { checkpoints, headAt } = checkpointsOf([2, 5, 8]);
    const forged = aKeyPair();
    checkpoints[1] = signCheckpoint({ ...checkpoints[1], keyId: signer.keyId }, forged.privateKey);
    expect(verifyCheckpoints(CHAIN, checkpoints, headAt, keys)).toEqual({
      valid: false,
      checked: 2,
      firstBadSeq: 5,
    });
  });

  it('reports a checkpoint whose head differs from the recomputed chain at its seq', () => {
    const { entries, checkpoints } = checkpointsOf([4, 9]);
    // Entry 6 rewritten and the chain recomputed from there: entries verify, checkpoint 9 does not.
    const rewritten = [
      ...entries.slice(0, 5),
      ...anAuditChain(CHAIN, 5, { fromSeq: 6, previousHead: entries[4].chainHash }),
    ];
    const heads = headsAt(CHAIN, rewritten, new Set([4, 9]));
    expect(heads.get(4)).toBe(checkpoints[0].headHash);
    expect(verifyCheckpoints(CHAIN, checkpoints, (s) => heads.get(s), keys)).toEqual({
      valid: false,
      checked: 1,
      firstBadSeq: 9,
    });
  });

  it('reports a checkpoint past the end of the chain, of another chain, or by an unknown key', () => {
    const { checkpoints, headAt } = checkpointsOf([3]);
    const cp = checkpoints[0];
    const beyond = signCheckpoint({ ...cp, seq: 40 }, signer.privateKey);
    const other = signCheckpoint(
      { ...cp, chainId: '00000000-0000-0000-0000-000000000001' },
      signer.privateKey,
    );
    const stranger = aKeyPair();
    const unknown = signCheckpoint({ ...cp, keyId: stranger.keyId }, stranger.privateKey);
    expect(verifyCheckpoints(CHAIN, [beyond], headAt, keys).firstBadSeq).toBe(40);
    expect(verifyCheckpoints(CHAIN, [other], headAt, keys).firstBadSeq).toBe(3);
    expect(verifyCheckpoints(CHAIN, [unknown], headAt, keys).firstBadSeq).toBe(3);
    const withOldKey = new Map([...keys, [stranger.keyId, stranger.publicKey]]);
    expect(verifyCheckpoints(CHAIN, [unknown], headAt, withOldKey).valid).toBe(true);
  });

  it('gives no head past a broken entry', () => {
    const entries = anAuditChain(CHAIN, 6);
    entries[2] = { ...entries[2], data: { amount: 1 } };
    const heads = headsAt(CHAIN, entries, new Set([2, 3, 6]));
    expect([...heads.keys()]).toEqual([2]);
  });
});
