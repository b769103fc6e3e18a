import { Injectable } from '@nestjs/common';
import type { TenantId } from '@malipo/common';
import { parseResultEnvelope, type DarajaResult } from '@malipo/daraja';
import type { PaymentUnitOfWork } from '../application/payment.service';
import { DarajaRequestsRepository, type DarajaRequestRow } from './daraja-requests.repository';

/** What a request's result means beyond the request row (reversals move payments). */
export interface ResultFollowUp {
  onResult(
    uow: PaymentUnitOfWork,
    tenantId: TenantId,
    req: DarajaRequestRow,
    r: DarajaResult,
  ): Promise<void>;
  onUnanswered(uow: PaymentUnitOfWork, tenantId: TenantId, req: DarajaRequestRow): Promise<void>;
}

export interface HandleOutcome {
  state: 'processed' | 'invalid';
  note?: string;
  /** Runs once the transaction committed (live hints). */
  afterCommit?: () => void;
}

/** A result arrived before we stored the conversation ids; the job retries a moment later. */
export class ResultBeforeAnswerError extends Error {}

/**
 * Applies a stored result or queue timeout to its request, matched by the conversation ids stored
 * when the request was accepted. A second copy of a result finds the request completed and
 * changes nothing.
 */
@Injectable()
export class ResultHandlerService {
  private readonly followUps = new Map<string, ResultFollowUp>();

  constructor(private readonly requests: DarajaRequestsRepository) {}

  /** Reversals register themselves here (the module wiring avoids a cycle). */
  register(kind: string, followUp: ResultFollowUp): void {
    this.followUps.set(kind, followUp);
  }

  async handle(
    uow: PaymentUnitOfWork,
    tenantId: TenantId,
    requestId: string,
    kind: 'result' | 'queue_timeout',
    body: unknown,
  ): Promise<HandleOutcome> {
    const req = await this.requests.lock(uow.tx, tenantId, requestId);
    if (!req) return { state: 'invalid', note: 'no such request' };
    if (req.state === 'completed') return { state: 'processed', note: 'duplicate' };
    if (kind === 'queue_timeout') return this.timedOut(uow, tenantId, req);
    const parsed = parseResultEnvelope(body);
    if (!parsed.ok) return { state: 'invalid', note: parsed.reason };
    if (req.state === 'sending') throw new ResultBeforeAnswerError('result before the answer');
    if (req.conversationId !== parsed.value.conversationId) {
      return { state: 'invalid', note: 'conversation id does not match the request' };
    }
    await this.requests.update(uow.tx, tenantId, req.id, {
      state: 'completed',
      resultCode: parsed.value.resultCode,
      resultDesc: parsed.value.resultDesc,
      result: parsed.value,
      completedAt: new Date(),
    });
    await this.followUps.get(req.kind)?.onResult(uow, tenantId, req, parsed.value);
    return { state: 'processed' };
  }

  /** Daraja gave up in its queue: the outcome is unknown; ask again, never assume. */
  private async timedOut(
    uow: PaymentUnitOfWork,
    tenantId: TenantId,
    req: DarajaRequestRow,
  ): Promise<HandleOutcome> {
    if (req.state === 'timed_out') return { state: 'processed', note: 'duplicate' };
    await this.requests.update(uow.tx, tenantId, req.id, {
      state: 'timed_out',
      completedAt: new Date(),
    });
    await this.followUps.get(req.kind)?.onUnanswered(uow, tenantId, req);
    return { state: 'processed' };
  }
}
