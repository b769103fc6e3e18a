import { Injectable, Logger } from '@nestjs/common';
import {
  AppConfig,
  ForbiddenError,
  NotFoundError,
  UnavailableError,
  metrics,
  withTimeout,
} from '@malipo/common';
import { parseStkCallbackText } from '@malipo/daraja';
import { QUEUES } from '@malipo/queue';
import { CallbackInboxRepository, type InboxState } from './callback-inbox.repository';
import { CallbackQueue, type StoredCallback } from './callback-queue';
import { CallbackToken } from './callback-token';
import { IpAllowlist } from './ip-allowlist';

export interface IncomingCallback {
  token: string;
  rawBody: string | undefined;
  ip: string;
  headers: Record<string, unknown>;
}

export const ACCEPTED = { ResultCode: 0, ResultDesc: 'Accepted' } as const;

/** Enqueueing must not hold Safaricom's request hostage while Redis is away. */
const ENQUEUE_TIMEOUT_MS = 300;
const KEPT_HEADERS = [
  'content-type',
  'content-length',
  'user-agent',
  'x-forwarded-for',
  'x-request-id',
];

/**
 * PostgreSQL text cannot hold a NUL byte. Such a body is not JSON anyway; it is kept with each NUL
 * written as the six characters `\u0000` (the only change made to any stored body).
 */
function storable(raw: string): { raw: string; nul: boolean } {
  return raw.includes('\0')
    ? { raw: raw.replace(/\0/g, '\\u0000'), nul: true }
    : { raw, nul: false };
}

/**
 * Token → inbox → queue → ack. The payment is never touched here: the worker applies what we
 * stored, and a sweeper enqueues whatever the queue missed.
 */
@Injectable()
export class CallbackReceiverService {
  private readonly logger = new Logger(CallbackReceiverService.name);
  private readonly allowlist: IpAllowlist;
  private lastBadTokenLog = 0;

  constructor(
    private readonly token: CallbackToken,
    private readonly inbox: CallbackInboxRepository,
    private readonly config: AppConfig,
    private readonly queue: CallbackQueue,
  ) {
    this.allowlist = new IpAllowlist(config.CALLBACK_IP_ALLOWLIST);
  }

  async receive(c: IncomingCallback): Promise<typeof ACCEPTED> {
    const target = this.token.verify(c.token);
    if (!target) return this.refuseToken();
    this.checkSource(c.ip);
    const { raw, nul } = storable(c.rawBody ?? '');
    const tooLarge = Buffer.byteLength(raw) > this.config.CALLBACK_MAX_STORED_BYTES;
    const parsed = tooLarge
      ? { ok: false as const, reason: 'body too large' }
      : nul
        ? { ok: false as const, reason: 'body contains NUL bytes' }
        : parseStkCallbackText(raw);
    const state: InboxState = parsed.ok ? 'received' : 'invalid';
    const stored = await this.store({
      tenantId: target.tenantId,
      attemptId: target.attemptId,
      sourceIp: c.ip,
      headers: Object.fromEntries(
        KEPT_HEADERS.filter((h) => c.headers[h] !== undefined).map((h) => [h, c.headers[h]]),
      ),
      rawBody: tooLarge ? raw.slice(0, this.config.CALLBACK_MAX_STORED_BYTES) : raw,
      state,
      lastError: parsed.ok ? null : parsed.reason,
    });
    metrics.callbacksReceived.inc({ result: state });
    if (parsed.ok) await this.enqueue({ id: stored.id, tenantId: target.tenantId });
    return ACCEPTED;
  }

  private refuseToken(): never {
    metrics.callbacksRejected.inc({ reason: 'bad_token' });
    const now = Date.now();
    if (now - this.lastBadTokenLog > 1_000) {
      this.lastBadTokenLog = now;
      this.logger.warn(
        'callback with an unknown token refused (further ones this second not logged)',
      );
    }
    throw new NotFoundError('Not found', 'HTTP.NOT_FOUND');
  }

  private checkSource(ip: string): void {
    if (this.allowlist.allows(ip)) return;
    metrics.callbackIpMismatch.inc();
    this.logger.warn(
      { sourceIp: ip, enforced: this.config.CALLBACK_IP_ENFORCE },
      'callback from outside the IP allowlist',
    );
    if (this.config.CALLBACK_IP_ENFORCE) {
      throw new ForbiddenError('Source address not allowed', 'CALLBACK.SOURCE_NOT_ALLOWED');
    }
  }

  private async store(row: Parameters<CallbackInboxRepository['insert']>[0]) {
    try {
      return await this.inbox.insert(row);
    } catch (error) {
      // Without PostgreSQL we cannot promise to keep it: say so, so Safaricom (or the reconciler) tries again.
      metrics.callbacksRejected.inc({ reason: 'db_unavailable' });
      this.logger.error({ err: error }, 'callback not stored: database unavailable');
      throw new UnavailableError(
        'Temporarily unable to accept callbacks',
        'CALLBACK.STORE_UNAVAILABLE',
        { cause: error },
      );
    }
  }

  private async enqueue(row: StoredCallback): Promise<void> {
    try {
      await withTimeout(this.queue.enqueue(row), ENQUEUE_TIMEOUT_MS, 'enqueue');
    } catch (error) {
      metrics.enqueueFailures.inc({ queue: QUEUES.callbacks });
      this.logger.warn(
        { err: (error as Error).message, inboxId: row.id },
        'callback stored but not enqueued; the sweeper will',
      );
    }
  }
}
