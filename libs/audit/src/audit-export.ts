import { withCheckpoints, type AuditVerdict } from './audit-verdict';
import { verifyCheckpoints, type CheckpointKeys, type SignedCheckpoint } from './checkpoint';
import { startChainCheck, type ChainVerdict, type StoredAuditEntry } from './hash-chain';

/**
 * The JSONL export of a chain (GET /v1/audit/export), one JSON object per line with a `type`:
 * `entry` (a StoredAuditEntry), then one `head` (what the database's head row said at export
 * time), then each signed `checkpoint` of the chain. A verifier that does not know a type skips it.
 */
export type ExportLine =
  | ({ type: 'entry' } & StoredAuditEntry)
  | { type: 'head'; chainId: string; seq: number; chainHash: string | null }
  | ({ type: 'checkpoint' } & SignedCheckpoint);

export const entryLine = (entry: StoredAuditEntry): string =>
  JSON.stringify({ type: 'entry', ...entry });

export const headLine = (chainId: string, seq: number, chainHash: string | null): string =>
  JSON.stringify({ type: 'head', chainId, seq, chainHash });

export const checkpointLine = (cp: SignedCheckpoint): string =>
  JSON.stringify({ type: 'checkpoint', ...cp });

export interface ExportVerdict extends AuditVerdict {
  chainId: string | null;
  /** Checkpoints that could not be checked because no public key was given. */
  checkpointsUnverified: number;
}

export interface ExportCheckOptions {
  /**
   * Public keys by key id (GET /v1/audit/public-key, keyIdOf). Without them checkpoints are
   * counted as unverified, not trusted: a key taken from the export itself would prove nothing.
   */
  keys?: CheckpointKeys;
  /** Checkpoints the shop kept itself (its audit.checkpoint webhooks), checked with the export's. */
  checkpoints?: readonly SignedCheckpoint[];
}

/**
 * Verifies an export without the database (npm run audit:verify): the entries chain from the
 * genesis of the chain they name and end where the head line says, and every checkpoint (the
 * export's and the shop's own) is signed by a given key over the head the chain has at its seq.
 * A line that is not JSON breaks the chain where the next entry was expected.
 */
export function verifyExport(
  lines: Iterable<string>,
  options: ExportCheckOptions = {},
): ExportVerdict {
  const parsed: ({ type: unknown } | undefined)[] = [];
  for (const text of lines) if (text.trim() !== '') parsed.push(parse(text));
  const exported = parsed.filter(
    (l): l is { type: 'checkpoint' } & SignedCheckpoint => l?.type === 'checkpoint',
  );
  const checkpoints: SignedCheckpoint[] = [
    ...exported.map(({ type: _type, ...cp }) => cp),
    ...(options.checkpoints ?? []),
  ];
  const wanted = new Set(checkpoints.map((c) => c.seq));
  const heads = new Map<number, string>();
  const { chainId, verdict } = verifyEntries(parsed, (entry) => {
    if (wanted.has(entry.seq)) heads.set(entry.seq, entry.chainHash);
  });
  if (!options.keys || checkpoints.length === 0) {
    return {
      chainId,
      ...withCheckpoints(verdict, { valid: true, checked: 0, firstBadSeq: null }),
      checkpointsUnverified: checkpoints.length,
    };
  }
  const signed = verifyCheckpoints(
    chainId ?? '',
    checkpoints,
    (seq) => heads.get(seq),
    options.keys,
  );
  return { chainId, ...withCheckpoints(verdict, signed), checkpointsUnverified: 0 };
}

/** The entry and head lines' verdict; `visit` sees each entry that chains correctly. */
function verifyEntries(
  lines: readonly ({ type: unknown } | undefined)[],
  visit: (entry: StoredAuditEntry) => void,
): { chainId: string | null; verdict: ChainVerdict } {
  let check: ReturnType<typeof startChainCheck> | undefined;
  let chainId: string | null = null;
  let head: Extract<ExportLine, { type: 'head' }> | undefined;
  for (const line of lines) {
    if (!line) return { chainId, verdict: broken(check) };
    if (line.type === 'head') {
      head = line as Extract<ExportLine, { type: 'head' }>;
      chainId ??= head.chainId;
      continue;
    }
    if (line.type !== 'entry') continue;
    const { type: _type, ...entry } = line as Extract<ExportLine, { type: 'entry' }>;
    chainId ??= entry.chainId;
    check ??= startChainCheck(chainId);
    if (!check.accept(entry)) return { chainId, verdict: check.verdict() };
    visit(entry);
  }
  const verdict = check?.verdict() ?? { valid: true, checked: 0, firstBadSeq: null };
  if (!head) return { chainId, verdict };
  const ends = verdict.checked === 0 ? null : check?.head();
  if (head.seq === verdict.checked && head.chainHash === ends) return { chainId, verdict };
  const firstBadSeq = Math.min(head.seq, verdict.checked) + 1;
  return { chainId, verdict: { valid: false, checked: verdict.checked, firstBadSeq } };
}

function parse(text: string): { type: unknown } | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && 'type' in value ? value : undefined;
  } catch {
    return undefined;
  }
}

function broken(check?: ReturnType<typeof startChainCheck>): ChainVerdict {
  const checked = check?.verdict().checked ?? 0;
  return { valid: false, checked, firstBadSeq: checked + 1 };
}
