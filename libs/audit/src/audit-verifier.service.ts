import { Injectable } from '@nestjs/common';
import { AuditRepository, type ChainHead } from './audit.repository';
import { startChainCheck, type ChainVerdict, type StoredAuditEntry } from './hash-chain';

const PAGE = 1000;

/**
 * Recomputes a chain from its genesis, a page at a time, and compares where it ends with the
 * head the database keeps (tenants.audit_head): entries that all chain correctly but stop short
 * of the head mean the tail was deleted, and the first missing seq is reported.
 */
@Injectable()
export class AuditVerifier {
  constructor(private readonly repo: AuditRepository) {}

  /**
   * `visit` sees every entry that chains correctly, with its recomputed hash. It is where the
   * signed checkpoints (issue 18, checkpoints branch) are checked too: the integrator passes
   * the collected chain hashes to verifyCheckpoints and folds its verdict into this one.
   */
  async verify(chainId: string, visit?: (entry: StoredAuditEntry) => void): Promise<ChainVerdict> {
    const check = startChainCheck(chainId);
    let after = 0;
    for (;;) {
      const page = await this.repo.page(chainId, after, PAGE);
      for (const entry of page) {
        if (!check.accept(entry)) return check.verdict();
        visit?.(entry);
      }
      if (page.length < PAGE) break;
      after = page[page.length - 1].seq;
    }
    const verdict = check.verdict();
    const firstBadSeq = againstHead(verdict.checked, check.head(), await this.repo.head(chainId));
    return firstBadSeq === null ? verdict : { valid: false, checked: verdict.checked, firstBadSeq };
  }
}

/**
 * Where an intact run of `checked` entries ending in `recomputed` disagrees with the stored head:
 * a shorter run lost its tail (the first missing seq), a longer one gained rows past the head
 * (the first of them), the same length with another hash has a rewritten last entry.
 */
function againstHead(checked: number, recomputed: string, head: ChainHead | undefined) {
  if (!head) return checked + 1;
  if (head.seq > checked) return checked + 1;
  if (head.seq < checked) return head.seq + 1;
  const expected = checked === 0 ? null : recomputed;
  return head.head === expected ? null : Math.max(checked, 1);
}
