import { Injectable, Logger } from '@nestjs/common';
import {
  AuditCheckpointsRepository,
  AuditKeyring,
  PLATFORM_CHAIN_ID,
  advancePosition,
  genesisPosition,
  isCheckpointDue,
  type ChainPosition,
  type CheckpointPolicy,
  type SignedCheckpoint,
} from '@malipo/audit';
import { AppConfig } from '@malipo/common';
import type { Tx } from '@malipo/db';
import { AuditCheckpointWebhooks } from '@malipo/webhooks';

/** Chains looked at per run; the rest wait for the next minute. */
const CHAIN_BATCH = 500;
const ENTRY_PAGE = 1_000;
/** Entries one checkpoint walks at most (a long chain's first one); the next run goes on. */
const MAX_ENTRIES_PER_CHECKPOINT = 50_000;

/**
 * Writes the signed checkpoints of the audit chains. Each one is taken under the chain's advisory
 * lock (a second replica skips the chain) and signs only a head recomputed forward from the last
 * checkpoint, so a row rewritten since then is refused, not signed. A shop's checkpoint and its
 * `audit.checkpoint` deliveries commit together.
 */
@Injectable()
export class AuditCheckpointer {
  private readonly logger = new Logger(AuditCheckpointer.name);
  private readonly policy: CheckpointPolicy;

  constructor(
    private readonly checkpoints: AuditCheckpointsRepository,
    private readonly keyring: AuditKeyring,
    private readonly webhooks: AuditCheckpointWebhooks,
    config: AppConfig,
  ) {
    this.policy = {
      every: config.AUDIT_CHECKPOINT_EVERY,
      intervalMs: config.AUDIT_CHECKPOINT_INTERVAL_MS,
    };
  }

  /** One round over every chain that is due; returns the checkpoints written. */
  async checkpointDueChains(): Promise<SignedCheckpoint[]> {
    const due = await this.checkpoints.dueChains({ ...this.policy, limit: CHAIN_BATCH });
    const written: SignedCheckpoint[] = [];
    for (const { chainId } of due) {
      const cp = await this.checkpointChain(chainId);
      if (cp) written.push(cp);
    }
    return written;
  }

  /** The chain's next checkpoint if it is due (and no other replica is taking it right now). */
  async checkpointChain(chainId: string): Promise<SignedCheckpoint | undefined> {
    const outcome = await this.checkpoints.withChainLock(chainId, async (tx) => {
      const last = await this.checkpoints.last(tx, chainId);
      const position = await this.headAfter(tx, chainId, last);
      if (!isCheckpointDue(last, position.seq, new Date(), this.policy)) return undefined;
      const cp = this.keyring.sign({
        chainId,
        seq: position.seq,
        headHash: position.head,
        at: new Date().toISOString(),
      });
      if (!(await this.checkpoints.insert(tx, cp))) return undefined;
      const deliveries =
        chainId === PLATFORM_CHAIN_ID ? [] : await this.webhooks.insertInTx(tx, cp);
      return { cp, deliveries };
    });
    if (!outcome) return undefined;
    await this.webhooks.enqueue(outcome.deliveries);
    this.logger.debug({ chainId, seq: outcome.cp.seq }, 'audit checkpoint written');
    return outcome.cp;
  }

  /** The head the chain's entries give, carried forward from the last checkpoint. */
  private async headAfter(
    tx: Tx,
    chainId: string,
    last: SignedCheckpoint | undefined,
  ): Promise<ChainPosition> {
    let position = last ? { seq: last.seq, head: last.headHash } : genesisPosition(chainId);
    const limitSeq = position.seq + MAX_ENTRIES_PER_CHECKPOINT;
    for (;;) {
      const page = await this.checkpoints.entriesBetween(tx, {
        chainId,
        afterSeq: position.seq,
        toSeq: limitSeq,
        limit: ENTRY_PAGE,
      });
      const next = advancePosition(position, page);
      position = { seq: next.seq, head: next.head };
      if (next.brokenAt !== null) {
        // Never sign past it: the nightly verify reports the break, this keeps it out of a signature.
        this.logger.error({ chainId, seq: next.brokenAt }, 'audit chain does not verify');
        return position;
      }
      if (page.length < ENTRY_PAGE) return position;
    }
  }
}
