import { Injectable } from '@nestjs/common';
import { evidenceDigest, runAsActor, type Actor } from '@malipo/audit';
import type { TenantId } from '@malipo/common';
import { PaymentService, type PaymentUnitOfWork } from '../application/payment.service';
import { DarajaInboxRepository, type DarajaInboxRow } from './daraja-inbox.repository';
import { ResultHandlerService, type HandleOutcome } from './result-handler.service';

/** C2B confirmations are handled by the incoming-payments module, registered at boot. */
export interface C2bConfirmationHandler {
  handle(
    uow: PaymentUnitOfWork,
    tenantId: TenantId,
    channelId: string,
    body: unknown,
  ): Promise<HandleOutcome>;
}

/**
 * The worker's side of daraja_inbox: lock the row, hand it to its handler, mark it, all in one
 * transaction with whatever payment change it causes. Re-running a processed row is a no-op.
 */
@Injectable()
export class ProcessDarajaInboxService {
  private c2b?: C2bConfirmationHandler;

  constructor(
    private readonly inbox: DarajaInboxRepository,
    private readonly results: ResultHandlerService,
    private readonly payments: PaymentService,
  ) {}

  registerC2b(handler: C2bConfirmationHandler): void {
    this.c2b = handler;
  }

  async process(tenantId: TenantId, inboxId: string): Promise<string> {
    const outcome = await this.payments.transaction(async (uow) => {
      const row = await this.inbox.lock(uow.tx, tenantId, inboxId);
      if (!row || row.state !== 'received') return undefined;
      const handled = await this.dispatch(uow, tenantId, row);
      await this.inbox.mark(uow.tx, tenantId, row.id, handled.state, handled.note ?? null);
      return handled;
    });
    outcome?.afterCommit?.();
    return outcome ? (outcome.note ?? outcome.state) : 'skipped';
  }

  private dispatch(
    uow: PaymentUnitOfWork,
    tenantId: TenantId,
    row: DarajaInboxRow,
  ): Promise<HandleOutcome> {
    let body: unknown;
    try {
      body = JSON.parse(row.rawBody);
    } catch {
      return Promise.resolve({ state: 'invalid', note: 'body is not JSON' });
    }
    const heard = fromDaraja(uow, row);
    return runAsActor(heard.actor, () => {
      if (row.kind === 'c2b_confirmation') {
        if (!this.c2b) throw new Error('no C2B confirmation handler registered');
        return this.c2b.handle(heard.uow, tenantId, row.subjectId, body);
      }
      const kind = row.kind === 'queue_timeout' ? 'queue_timeout' : 'result';
      return this.results.handle(heard.uow, tenantId, row.subjectId, kind, body);
    });
  }
}

/**
 * What a hook's body causes is Daraja's doing: every change names Daraja at the address it called
 * from, and every payment event carries the digest of the raw body as received (the same digest
 * as the hook's own `daraja.*` entry), unless its handler names other evidence's digest.
 */
function fromDaraja(
  uow: PaymentUnitOfWork,
  row: DarajaInboxRow,
): { actor: Actor; uow: PaymentUnitOfWork } {
  const actor: Actor = { kind: 'daraja', ip: row.sourceIp };
  const evidenceSha256 = evidenceDigest(row.rawBody);
  return {
    actor,
    uow: {
      tx: uow.tx,
      apply: (tenantId, paymentId, event, ctx, locked) =>
        uow.apply(tenantId, paymentId, event, { actor, evidenceSha256, ...ctx }, locked),
    },
  };
}
