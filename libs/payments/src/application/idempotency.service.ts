import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig, AppError, ConflictError } from '@malipo/common';
import type { DbOrTx } from '@malipo/db';
import {
  IdempotencyRepository,
  type IdempotencyScope,
} from '../infrastructure/idempotency.repository';

export type { IdempotencyScope } from '../infrastructure/idempotency.repository';

/** How long a request may hold its key before another request may take over (a crashed process). */
const LOCK_MS = 60_000;

export class IdempotencyKeyReusedError extends AppError {
  readonly kind = 'unprocessable';
  readonly code = 'IDEMPOTENCY.KEY_REUSED';
}

export type IdempotencyStart =
  | { kind: 'new' }
  | { kind: 'replay'; status: number; body: unknown }
  /** The first request crashed after creating its payment: answer with that payment, never push again. */
  | { kind: 'resume'; paymentId: string };

/** Canonical JSON (sorted keys) so that the same body always hashes the same. */
export function requestHash(value: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(canonical(value)))
    .digest('hex');
}

/**
 * Stripe-style idempotency keys, per tenant and scope: one execution per key, the stored answer
 * replayed for the TTL, 422 for the same key with another body, 409 while the first still runs.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly keys: IdempotencyRepository,
    private readonly config: AppConfig,
  ) {}

  async begin(s: IdempotencyScope, hash: string): Promise<IdempotencyStart> {
    const now = Date.now();
    const created = await this.keys.claim(s, {
      requestHash: hash,
      lockedUntil: new Date(now + LOCK_MS),
      expiresAt: new Date(now + this.config.IDEMPOTENCY_TTL_SECONDS * 1000),
      now: new Date(now),
    });
    if (created) return { kind: 'new' };
    return this.existing(s, hash, now);
  }

  private async existing(
    s: IdempotencyScope,
    hash: string,
    now: number,
  ): Promise<IdempotencyStart> {
    const row = await this.keys.find(s);
    if (!row) return this.begin(s, hash); // deleted since the claim (a sweep of expired keys)
    if (row.requestHash !== hash) {
      throw new IdempotencyKeyReusedError(
        'This Idempotency-Key was used with a different request body',
      );
    }
    if (row.state === 'completed') {
      return { kind: 'replay', status: row.responseStatus ?? 200, body: row.responseBody };
    }
    if (row.lockedUntil && row.lockedUntil.getTime() < now) {
      const taken = await this.keys.takeOver(s, new Date(now), new Date(now + LOCK_MS));
      if (taken) {
        return taken.paymentId ? { kind: 'resume', paymentId: taken.paymentId } : { kind: 'new' };
      }
    }
    throw new ConflictError(
      'A request with this Idempotency-Key is still being processed',
      'IDEMPOTENCY.IN_PROGRESS',
    );
  }

  /** Links the key to the payment it created, inside the transaction that creates it. */
  attachPayment(tx: DbOrTx, s: IdempotencyScope, paymentId: string): Promise<void> {
    return this.keys.attachPayment(tx, s, paymentId);
  }

  complete(s: IdempotencyScope, status: number, body: unknown, tx?: DbOrTx): Promise<void> {
    return this.keys.complete(s, status, body, tx);
  }

  /**
   * The request failed after its payment committed: the key keeps its payment but stops being
   * "in progress", so the same request at once resumes that payment (IdempotencyStart 'resume').
   */
  unlock(s: IdempotencyScope): Promise<void> {
    return this.keys.setLockedUntilIfInProgress(s, new Date(Date.now() - 1));
  }

  /** Frees the key when the request failed before any side effect, so the cashier can simply retry. */
  release(s: IdempotencyScope): Promise<void> {
    return this.keys.deleteIfInProgress(s);
  }
}
