/** When a chain gets its next checkpoint (AUDIT_CHECKPOINT_EVERY, AUDIT_CHECKPOINT_INTERVAL_MS). */
export interface CheckpointPolicy {
  every: number;
  intervalMs: number;
}

/**
 * Due once the head is `every` entries past the last checkpoint, or past it at all while that
 * checkpoint is `intervalMs` old; a chain with no checkpoint yet is due at its first entry. The
 * same rule as AuditCheckpointsRepository.dueChains, re-checked under the chain's lock.
 */
export function isCheckpointDue(
  last: { seq: number; at: string } | undefined,
  headSeq: number,
  now: Date,
  policy: CheckpointPolicy,
): boolean {
  const lastSeq = last?.seq ?? 0;
  if (headSeq <= lastSeq) return false;
  if (headSeq - lastSeq >= policy.every) return true;
  return !last || now.getTime() - Date.parse(last.at) >= policy.intervalMs;
}
