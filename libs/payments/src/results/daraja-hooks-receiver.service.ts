import { Injectable, Logger } from '@nestjs/common';
import { AuditLog, evidenceDigest, type AuditRecord } from '@malipo/audit';
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

type RawBody = string | Buffer | undefined;

/**
 * What Daraja sent, for the audit log: the digest of the raw body, never the body (a C2B
 * confirmation carries the payer's number and name).
 */
const hookRecord = (action: string, subject: AuditRecord['subject'], rawBody: RawBody) => ({
  action,
  subject,
  data: { bodySha256: evidenceDigest(rawBody?.toString() ?? '') },
});

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
    private readonly audit: AuditLog,
  ) {}

  async receive(input: {
    kind: DarajaInboxKind;
    token: string;
    rawBody: RawBody;
    ip: string | undefined;
  }): Promise<void> {
    const target = this.tokens.verify(PURPOSE[input.kind], input.token);
    if (!target) throw new NotFoundError('Unknown hook', 'HOOK.NOT_FOUND');
    // Stored and audited together (the request's actor is Daraja at its address); what the
    // worker later makes of it is audited as payment events carrying the same digest.
    const row = await this.audit.db.transaction(async (tx) => {
      const stored = await this.inbox.insert(
        {
          tenantId: target.tenantId,
          kind: input.kind,
          subjectId: target.subjectId,
          sourceIp: input.ip ?? null,
          rawBody: input.rawBody?.toString() ?? '',
        },
        tx,
      );
      const subject = { inboxId: stored.id, subjectId: target.subjectId };
      await this.audit.append(
        tx,
        target.tenantId,
        hookRecord(`daraja.${input.kind}`, subject, input.rawBody),
      );
      return stored;
    });
    await this.queue.enqueue([row]).catch((error: unknown) => {
      this.logger.warn({ inboxId: row.id, err: String(error) }, 'enqueue failed; the sweeper will');
    });
  }

  /**
   * Validation: the token must be ours; the payment is accepted (matching happens on
   * confirmation). Nothing is stored, but the question and our yes are in the shop's log.
   */
  async validate(token: string, rawBody: RawBody): Promise<typeof C2B_ACCEPTED> {
    const target = this.tokens.verify('c2b', token);
    if (!target) throw new NotFoundError('Unknown hook', 'HOOK.NOT_FOUND');
    const subject = { channelId: target.subjectId };
    await this.audit.appendAlone(
      target.tenantId,
      hookRecord('daraja.c2b_validation', subject, rawBody),
    );
    return C2B_ACCEPTED;
  }
}
