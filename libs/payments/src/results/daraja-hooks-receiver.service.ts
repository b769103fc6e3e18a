import { Injectable, Logger } from '@nestjs/common';
import { NotFoundError } from '@malipo/common';
import { DarajaInboxQueue } from './daraja-inbox.queue';
import { DarajaInboxRepository, type DarajaInboxKind } from './daraja-inbox.repository';
import { HookToken, type HookPurpose } from './hook-token';

export const RESULT_ACCEPTED = { ResultCode: 0, ResultDesc: 'Accepted' } as const;
/** C2B answers carry string codes (REFERENCE §7.2). */
export const C2B_ACCEPTED = { ResultCode: '0', ResultDesc: 'Accepted' } as const;

const PURPOSE: Record<DarajaInboxKind, HookPurpose> = {
  result: 'result',
  queue_timeout: 'result',
  c2b_confirmation: 'c2b',
};

/**
 * Result, queue-timeout and C2B confirmation endpoints: the token names the request (or channel),
 * the body goes to daraja_inbox before Daraja gets its answer, and the worker does the rest. The
 * queue is a shortcut: when Redis is down the sweeper finds the row.
 */
@Injectable()
export class DarajaHooksReceiver {
  private readonly logger = new Logger(DarajaHooksReceiver.name);

  constructor(
    private readonly tokens: HookToken,
    private readonly inbox: DarajaInboxRepository,
    private readonly queue: DarajaInboxQueue,
  ) {}

  async receive(input: {
    kind: DarajaInboxKind;
    token: string;
    rawBody: string | Buffer | undefined;
    ip: string | undefined;
  }): Promise<void> {
    const target = this.tokens.verify(PURPOSE[input.kind], input.token);
    if (!target) throw new NotFoundError('Unknown hook', 'HOOK.NOT_FOUND');
    const row = await this.inbox.insert({
      tenantId: target.tenantId,
      kind: input.kind,
      subjectId: target.subjectId,
      sourceIp: input.ip ?? null,
      rawBody: input.rawBody?.toString() ?? '',
    });
    await this.queue.enqueue([row]).catch((error: unknown) => {
      this.logger.warn({ inboxId: row.id, err: String(error) }, 'enqueue failed; the sweeper will');
    });
  }

  /** Validation: the token must be ours; the payment is accepted (matching happens on confirmation). */
  validate(token: string): typeof C2B_ACCEPTED {
    if (!this.tokens.verify('c2b', token)) {
      throw new NotFoundError('Unknown hook', 'HOOK.NOT_FOUND');
    }
    return C2B_ACCEPTED;
  }
}
