import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import { rawEd25519PublicKey } from '@malipo/common/crypto/ed25519-keys';
import {
  chainHash,
  genesisHash,
  leafHash,
  startChainCheck,
  type ChainVerdict,
  type StoredAuditEntry,
} from './hash-chain';

/**
 * Signed checkpoints of the audit chains (issue 18). A checkpoint says "chain `chainId` had head
 * `headHash` after entry `seq`", signed with Ed25519 over
 *
 *   RFC 8785 canonical JSON of { at, chainId, headHash, keyId, seq }   (UTF-8)
 *
 * The shop keeps each one (the `audit.checkpoint` webhook, the daily report), so a later rewrite
 * of its chain here no longer matches a head it already holds, signed by a key Malipo published.
 */
export const CHECKPOINT_ALGORITHM = 'Ed25519';

/** What is signed. */
export interface CheckpointContent {
  /** The shop's id, or PLATFORM_CHAIN_ID. */
  chainId: string;
  /** The entry after which the head was taken. */
  seq: number;
  /** The chain hash after entry `seq`, hex. */
  headHash: string;
  /** ISO 8601 with milliseconds, UTC (Date.toISOString()). */
  at: string;
  /** keyIdOf(the signer's public key). */
  keyId: string;
}

export interface SignedCheckpoint extends CheckpointContent {
  /** Ed25519 signature of checkpointMessage(content), base64 (64 bytes). */
  signature: string;
}

/** Verification keys by key id: the current key and the ones it replaced. */
export type CheckpointKeys = ReadonlyMap<string, KeyObject>;

/** The exact bytes signed: only the five fields, whatever else the object carries. */
export function checkpointMessage(c: CheckpointContent): Buffer {
  const { chainId, seq, headHash, at, keyId } = c;
  return Buffer.from(canonicalize({ chainId, seq, headHash, at, keyId }), 'utf8');
}

/** A short, stable name for a public key: the first 16 hex of SHA-256 over its raw 32 bytes. */
export function keyIdOf(rawPublicKey: Buffer): string {
  return createHash('sha256').update(rawPublicKey).digest('hex').slice(0, 16);
}

/** Public keys by their key id, as verifyCheckpoints looks them up. */
export function checkpointKeysOf(publicKeys: readonly KeyObject[]): Map<string, KeyObject> {
  return new Map(publicKeys.map((key) => [keyIdOf(rawEd25519PublicKey(key)), key]));
}

export function signCheckpoint(
  content: CheckpointContent,
  privateKey: KeyObject,
): SignedCheckpoint {
  const signature = sign(null, checkpointMessage(content), privateKey).toString('base64');
  return { ...pick(content), signature };
}

/** False for a wrong key, altered content, or a signature that is not 64 bytes of base64. */
export function verifyCheckpointSignature(cp: SignedCheckpoint, publicKey: KeyObject): boolean {
  const signature = Buffer.from(cp.signature, 'base64');
  if (signature.length !== 64 || signature.toString('base64') !== cp.signature) return false;
  try {
    return verify(null, checkpointMessage(cp), publicKey, signature);
  } catch {
    return false; // not an Ed25519 key
  }
}

/**
 * Checks every checkpoint of one chain: its signature under the key it names, and its head against
 * the chain as recomputed now (`headAt(seq)`: the recomputed hex head after entry `seq`, undefined
 * past where the chain holds). A bad checkpoint is reported at its own seq; `checked` counts the
 * checkpoints that passed. The caller merges this with the chain's verdict (the lower firstBadSeq).
 */
export function verifyCheckpoints(
  chainId: string,
  checkpoints: Iterable<SignedCheckpoint>,
  headAt: (seq: number) => string | undefined,
  publicKeys: CheckpointKeys,
): ChainVerdict {
  let checked = 0;
  let firstBadSeq: number | null = null;
  for (const cp of checkpoints) {
    if (isGoodCheckpoint(chainId, cp, headAt, publicKeys)) {
      checked += 1;
    } else if (firstBadSeq === null || cp.seq < firstBadSeq) {
      firstBadSeq = cp.seq;
    }
  }
  return { valid: firstBadSeq === null, checked, firstBadSeq };
}

function isGoodCheckpoint(
  chainId: string,
  cp: SignedCheckpoint,
  headAt: (seq: number) => string | undefined,
  publicKeys: CheckpointKeys,
): boolean {
  const key = publicKeys.get(cp.keyId);
  return (
    cp.chainId === chainId &&
    key !== undefined &&
    verifyCheckpointSignature(cp, key) &&
    headAt(cp.seq) === cp.headHash
  );
}

/**
 * The recomputed heads of a chain at the given sequence numbers, for verifyCheckpoints. Stops at
 * the first entry that does not verify: no head is vouched for past a break.
 */
export function headsAt(
  chainId: string,
  entries: Iterable<StoredAuditEntry>,
  seqs: ReadonlySet<number>,
): Map<number, string> {
  const check = startChainCheck(chainId);
  const heads = new Map<number, string>();
  for (const entry of entries) {
    if (!check.accept(entry)) break;
    if (seqs.has(entry.seq)) heads.set(entry.seq, check.head());
  }
  return heads;
}

/** Where a chain stands: its head after entry `seq` (seq 0: the genesis). */
export interface ChainPosition {
  seq: number;
  /** hex */
  head: string;
}

export function genesisPosition(chainId: string): ChainPosition {
  return { seq: 0, head: genesisHash(chainId).toString('hex') };
}

/**
 * Carries a trusted position (the last checkpoint) forward over the entries that follow it, so a
 * checkpoint only ever signs a head that follows from the one signed before. Stops at the first
 * entry out of sequence or whose stored hashes are not what its content gives (`brokenAt`).
 */
export function advancePosition(
  from: ChainPosition,
  entries: Iterable<StoredAuditEntry>,
): ChainPosition & { brokenAt: number | null } {
  let { seq, head } = from;
  for (const entry of entries) {
    const { leafHash: storedLeaf, chainHash: storedChain, ...content } = entry;
    const leaf = leafHash(content);
    const next = chainHash(Buffer.from(head, 'hex'), leaf).toString('hex');
    const intact =
      entry.seq === seq + 1 && storedLeaf === leaf.toString('hex') && storedChain === next;
    if (!intact) return { seq, head, brokenAt: seq + 1 };
    seq = entry.seq;
    head = next;
  }
  return { seq, head, brokenAt: null };
}

function pick(c: CheckpointContent): CheckpointContent {
  return { chainId: c.chainId, seq: c.seq, headHash: c.headHash, at: c.at, keyId: c.keyId };
}
