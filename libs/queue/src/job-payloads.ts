/** A stored callback to apply; the job id is the inbox id, so enqueueing twice is a no-op. */
export interface CallbackJob {
  inboxId: string;
  tenantId: string;
}

/** An operator's reconciliation run, executed by a worker; the job id is the run id. */
export interface ReconcileRunJob {
  runId: string;
}

/** A stored result or C2B body to process; the job id is the daraja_inbox id. */
export interface DarajaInboxJob {
  inboxId: string;
  tenantId: string;
}
