import { Injectable } from '@nestjs/common';
import { AuditCheckpointsRepository } from './audit-checkpoints.repository';
import { AuditKeyring } from './audit-keyring';
import { AuditRepository, type ChainHead } from './audit.repository';
import { withCheckpoints, type AuditVerdict } from './audit-verdict';
import { verifyCheckpoints } from './checkpoint';
import { startChainCheck, type ChainVerdict, type StoredAuditEntry } from './hash-chain';

const PAGE = 1000;

/**
 * Recomputes a chain from its genesis, a page at a time, and compares where it ends with the
 * head the database keeps (tenants.audit_head): entries that all chain correctly but stop short
 * of the head mean the tail was deleted, and the first missing seq is reported. Then checks every
 * signed checkpoint of the chain: its signature, and its head against the recomputed chain.
 */
@Injectable()
export class AuditVerifier {
  constructor(
    private readonly repo: AuditRepository,
    private readonly checkpoints: AuditCheckpointsRepository,
    private readonly keyring: AuditKeyring,
  ) {}

  async verify(chainId: string): Promise<AuditVerdict> {
    const signed = await this.checkpoints.list(chainId);
    const wanted = new Set(signed.map((c) => c.seq));
    const heads = new Map<number, string>();
    const chain = await this.verifyChain(chainId, (entry) => {
      // Only entries that chained correctly are visited: their stored hash is the recomputed one.
      if (wanted.has(entry.seq)) heads.set(entry.seq, entry.chainHash);
    });
    const keys = this.keyring.verificationKeys();
    const checked = verifyCheckpoints(chainId, signed, (seq) => heads.get(seq), keys);
    return withCheckpoints(chain, checked);
  }

  /** The chain alone; `visit` sees every entry that chains correctly. */
  async verifyChain(
    chainId: string,
    visit?: (entry: StoredAuditEntry) => void,
  ): Promise<ChainVerdict> {
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
