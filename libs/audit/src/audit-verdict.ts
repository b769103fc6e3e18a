import type { ChainVerdict } from './hash-chain';

/** A chain's verdict with its signed checkpoints checked too (GET /v1/audit/verify, the CLI). */
export interface AuditVerdict extends ChainVerdict {
  /** Checkpoints whose signature and head both verified. */
  checkpoints: number;
}

/**
 * One verdict from the chain's and its checkpoints': broken where either first breaks. A chain
 * rewritten with every hash recomputed chains correctly, and is caught by the first checkpoint
 * signed over its old head; an edit the chain itself catches is at or before any such checkpoint.
 */
export function withCheckpoints(chain: ChainVerdict, checkpoints: ChainVerdict): AuditVerdict {
  const bad = [chain.firstBadSeq, checkpoints.firstBadSeq].filter((s): s is number => s !== null);
  const firstBadSeq = bad.length > 0 ? Math.min(...bad) : null;
  return {
    valid: firstBadSeq === null,
    checked: chain.checked,
    firstBadSeq,
    checkpoints: checkpoints.checked,
  };
}
