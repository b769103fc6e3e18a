import { startChainCheck, type ChainVerdict, type StoredAuditEntry } from './hash-chain';

/**
 * The JSONL export of a chain (GET /v1/audit/export), one JSON object per line with a `type`:
 * `entry` (a StoredAuditEntry), then one `head` (what the database's head row said at export
 * time). Other types (signed checkpoints) may follow; a verifier that does not know a type
 * skips it.
 */
export type ExportLine =
  | ({ type: 'entry' } & StoredAuditEntry)
  | { type: 'head'; chainId: string; seq: number; chainHash: string | null };

export const entryLine = (entry: StoredAuditEntry): string =>
  JSON.stringify({ type: 'entry', ...entry });

export const headLine = (chainId: string, seq: number, chainHash: string | null): string =>
  JSON.stringify({ type: 'head', chainId, seq, chainHash });

export interface ExportVerdict extends ChainVerdict {
  chainId: string | null;
}

/**
 * Verifies an export without the database (npm run audit:verify): the entries chain from the
 * genesis of the chain they name, and end where the head line says. A line that is not JSON
 * breaks the chain where the next entry was expected.
 */
export function verifyExport(lines: Iterable<string>): ExportVerdict {
  let check: ReturnType<typeof startChainCheck> | undefined;
  let chainId: string | null = null;
  let head: Extract<ExportLine, { type: 'head' }> | undefined;
  for (const text of lines) {
    if (text.trim() === '') continue;
    const line = parse(text);
    if (!line) return broken(chainId, check);
    if (line.type === 'head') {
      head = line as Extract<ExportLine, { type: 'head' }>;
      chainId ??= head.chainId;
      continue;
    }
    if (line.type !== 'entry') continue;
    const { type: _type, ...entry } = line as Extract<ExportLine, { type: 'entry' }>;
    chainId ??= entry.chainId;
    check ??= startChainCheck(chainId);
    if (!check.accept(entry)) return { chainId, ...check.verdict() };
  }
  const verdict = check?.verdict() ?? { valid: true, checked: 0, firstBadSeq: null };
  if (!head) return { chainId, ...verdict };
  const ends = verdict.checked === 0 ? null : check?.head();
  if (head.seq === verdict.checked && head.chainHash === ends) return { chainId, ...verdict };
  const firstBadSeq = Math.min(head.seq, verdict.checked) + 1;
  return { chainId, valid: false, checked: verdict.checked, firstBadSeq };
}

function parse(text: string): { type: unknown } | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && 'type' in value ? value : undefined;
  } catch {
    return undefined;
  }
}

function broken(chainId: string | null, check?: ReturnType<typeof startChainCheck>) {
  const checked = check?.verdict().checked ?? 0;
  return { chainId, valid: false, checked, firstBadSeq: checked + 1 };
}
