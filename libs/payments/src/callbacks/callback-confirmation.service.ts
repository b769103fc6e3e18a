import { Inject, Injectable } from '@nestjs/common';
import { AppError, type TenantId } from '@malipo/common';
import { ChannelCredentialsReader } from '@malipo/db';
import { DarajaClient, DarajaError, type ParsedStkCallback, type StkOutcome } from '@malipo/daraja';
import type { AttemptRow } from '../infrastructure/payment-rows';
import { ReconcileBudget } from '../reconciliation/reconcile-budget.repository';
import { RECONCILE_DARAJA, querySummary } from '../reconciliation/reconcile-query';

export type Confirmation =
  | { kind: 'confirmed'; query: Record<string, unknown> }
  | { kind: 'contradicted'; query: Record<string, unknown> };

/** Daraja could not answer yet (busy, rate-limited, still processing): the job tries again later. */
export class ConfirmationPendingError extends AppError {
  readonly kind = 'unavailable';
  readonly code = 'CALLBACK.CONFIRMATION_PENDING';
}

/**
 * The confirm-by-STK-Query policy (DESIGN: callbacks are unsigned). On a channel with
 * `confirm_with_query`, a success callback only counts once Safaricom, asked over our own
 * authenticated connection, says the same; a leaked callback URL then cannot mark anything paid.
 * Queries share the reconciler's per-channel budget so confirmations never trip Daraja's limits.
 */
@Injectable()
export class CallbackConfirmation {
  constructor(
    private readonly credentials: ChannelCredentialsReader,
    private readonly budget: ReconcileBudget,
    @Inject(RECONCILE_DARAJA) private readonly daraja: DarajaClient,
  ) {}

  async confirm(
    tenantId: TenantId,
    attempt: AttemptRow,
    cb: ParsedStkCallback,
  ): Promise<Confirmation> {
    const { channel, credentials } = await this.credentials.credentialsFor(
      tenantId,
      attempt.channelId,
    );
    const slot = await this.budget.take(channel.id, channel.queryBudgetPerMinute);
    if (!slot.ok) throw new ConfirmationPendingError('confirmation waits for the query budget');
    let outcome: StkOutcome;
    try {
      outcome = await this.daraja.stkQuery(
        credentials,
        attempt.checkoutRequestId ?? cb.checkoutRequestId,
      );
    } catch (error) {
      if (error instanceof DarajaError) {
        throw new ConfirmationPendingError(`confirmation query failed: ${error.code}`);
      }
      throw error;
    } finally {
      await this.budget.settle(channel.id, slot.slot).catch(() => undefined);
    }
    if (outcome.kind === 'pending') {
      throw new ConfirmationPendingError('Safaricom has no final answer yet');
    }
    const kind = outcome.kind === 'paid' ? 'confirmed' : 'contradicted';
    return { kind, query: querySummary(outcome) };
  }
}
