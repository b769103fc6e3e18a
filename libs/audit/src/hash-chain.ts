import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';

/**
 * The hash scheme of the audit trail (issue 18), shared by the database writer, the api's
 * verifier and the offline one (`npm run audit:verify`), so that all three agree byte for byte:
 *
 *   leaf  = SHA-256( RFC 8785 canonical JSON of the entry, UTF-8 )
 *   chain = SHA-256( previous chain hash (32 bytes) || leaf (32 bytes) )
 *   the first entry's previous chain hash is the chain's genesis: SHA-256("malipo-audit-genesis-v1:" + chain id)
 *
 * A chain is one shop's log (its id is the shop's id) or the platform log (PLATFORM_CHAIN_ID).
 */
export const GENESIS_DOMAIN = 'malipo-audit-genesis-v1:';

/** The platform log's chain id: platform-level actions, not any one shop's. */
export const PLATFORM_CHAIN_ID = '00000000-0000-0000-0000-000000000000';

/** JSON values an entry may hold (what RFC 8785 can serialise). */
export type AuditJson =
  string | number | boolean | null | AuditJson[] | { [key: string]: AuditJson };

/** What is hashed: every field of an audit entry except its hashes. */
export interface AuditEntryContent {
  /** The shop's id, or PLATFORM_CHAIN_ID. */
  chainId: string;
  seq: number;
  /** ISO 8601 with milliseconds, UTC (Date.toISOString()). */
  at: string;
  actor: { [key: string]: AuditJson };
  action: string;
  subject: { [key: string]: AuditJson };
  data: { [key: string]: AuditJson };
}

export type AuditEntryBody = Omit<AuditEntryContent, 'seq'>;

export function sha256(bytes: Buffer | string): Buffer {
  return createHash('sha256').update(bytes).digest();
}

export function genesisHash(chainId: string): Buffer {
  return sha256(GENESIS_DOMAIN + chainId);
}

export function canonicalEntry(entry: AuditEntryContent): string {
  return canonicalize(entry);
}

export function leafHash(entry: AuditEntryContent): Buffer {
  return sha256(Buffer.from(canonicalEntry(entry), 'utf8'));
}

export function chainHash(previous: Buffer, leaf: Buffer): Buffer {
  return sha256(Buffer.concat([previous, leaf]));
}

/**
 * The canonical text of an entry split around its sequence number:
 * `prefix + String(seq) + suffix === canonicalEntry({ ...body, seq })` for every seq. Lets the
 * database compute the leaf in the statement that takes the next sequence number (one
 * statement, no extra round trip): RFC 8785 writes an object as its members sorted by key, so
 * the members before and after "seq" do not depend on its value.
 */
export function canonicalAroundSeq(body: AuditEntryBody): { prefix: string; suffix: string } {
  const members = Object.entries(body as unknown as Record<string, AuditJson>)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ({ key, text: `${canonicalize(key)}:${canonicalize(value)}` }));
  members.push({ key: 'seq', text: '' });
  members.sort((a, b) => compareUtf16(a.key, b.key));
  const at = members.findIndex((m) => m.key === 'seq');
  const before = members.slice(0, at).map((m) => m.text);
  const after = members.slice(at + 1).map((m) => m.text);
  return {
    prefix: `{${before.map((t) => `${t},`).join('')}"seq":`,
    suffix: `${after.map((t) => `,${t}`).join('')}}`,
  };
}

/** RFC 8785 sorts member names by their UTF-16 code units, which is what `<` on strings does. */
function compareUtf16(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An entry as stored or exported: its content and the two hashes, hex. */
export interface StoredAuditEntry extends AuditEntryContent {
  leafHash: string;
  chainHash: string;
}

export interface ChainVerdict {
  valid: boolean;
  checked: number;
  /** The first sequence number at which the chain stops being what it claims, or null. */
  firstBadSeq: number | null;
}

/**
 * Recomputes a chain from its genesis. `entries` must be the chain's entries as stored, ordered
 * by `seq`, starting at 1: a missing, inserted, reordered, edited or deleted row shows as the first
 * sequence number where the recomputed and the stored hashes (or the numbering) part ways.
 */
export function verifyChain(chainId: string, entries: Iterable<StoredAuditEntry>): ChainVerdict {
  const state = startChainCheck(chainId);
  for (const entry of entries) {
    if (!state.accept(entry)) break;
  }
  return state.verdict();
}

/** verifyChain, one entry at a time (for streams and pages too large to hold). */
export function startChainCheck(chainId: string) {
  let previous = genesisHash(chainId);
  let checked = 0;
  let firstBadSeq: number | null = null;
  return {
    /** False once the chain is broken (later entries are not examined). */
    accept(entry: StoredAuditEntry): boolean {
      if (firstBadSeq !== null) return false;
      const expectedSeq = checked + 1;
      const { leafHash: storedLeaf, chainHash: storedChain, ...content } = entry;
      const leaf = leafHash(content);
      const chain = chainHash(previous, leaf);
      const intact =
        entry.chainId === chainId &&
        entry.seq === expectedSeq &&
        storedLeaf === leaf.toString('hex') &&
        storedChain === chain.toString('hex');
      if (!intact) {
        firstBadSeq = expectedSeq;
        return false;
      }
      previous = chain;
      checked += 1;
      return true;
    },
    /** The hex chain hash after the last accepted entry (the head a checkpoint should sign). */
    head(): string {
      return previous.toString('hex');
    },
    verdict(): ChainVerdict {
      return { valid: firstBadSeq === null, checked, firstBadSeq };
    },
  };
}
