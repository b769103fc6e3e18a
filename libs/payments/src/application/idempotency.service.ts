import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, AppError, ConflictError, type TenantId } from '@malipo/common';
import { DRIZZLE, schema, type Db, type DbOrTx } from '@malipo/db';
import { and, eq, lt, sql } from 'drizzle-orm';

const { idempotencyKeys } = schema;

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

export interface IdempotencyScope {
  tenantId: TenantId;
  scope: string;
  key: string;
}

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
    @Inject(DRIZZLE) private readonly db: Db,
    private readonly config: AppConfig,
  ) {}

  private where(s: IdempotencyScope) {
    return and(
      eq(idempotencyKeys.tenantId, s.tenantId),
      eq(idempotencyKeys.scope, s.scope),
      eq(idempotencyKeys.key, s.key),
    );
  }

  async begin(s: IdempotencyScope, hash: string): Promise<IdempotencyStart> {
    const now = Date.now();
    await this.db
      .delete(idempotencyKeys)
      .where(and(this.where(s), lt(idempotencyKeys.expiresAt, new Date(now))));
    const [inserted] = await this.db
      .insert(idempotencyKeys)
      .values({
        ...s,
        requestHash: hash,
        state: 'in_progress',
        lockedUntil: new Date(now + LOCK_MS),
        expiresAt: new Date(now + this.config.IDEMPOTENCY_TTL_SECONDS * 1000),
      })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (inserted) return { kind: 'new' };
    return this.existing(s, hash, now);
  }

  private async existing(
    s: IdempotencyScope,
    hash: string,
    now: number,
  ): Promise<IdempotencyStart> {
    const [row] = await this.db.select().from(idempotencyKeys).where(this.where(s));
    if (!row) return this.begin(s, hash); // expired and deleted between our two statements
    if (row.requestHash !== hash) {
      throw new IdempotencyKeyReusedError(
        'This Idempotency-Key was used with a different request body',
      );
    }
    if (row.state === 'completed') {
      return { kind: 'replay', status: row.responseStatus ?? 200, body: row.responseBody };
    }
    if (row.lockedUntil && row.lockedUntil.getTime() < now) {
      const [taken] = await this.db
        .update(idempotencyKeys)
        .set({ lockedUntil: new Date(now + LOCK_MS) })
        .where(
          and(
            this.where(s),
            eq(idempotencyKeys.state, 'in_progress'),
            lt(idempotencyKeys.lockedUntil, new Date(now)),
          ),
        )
        .returning({ paymentId: idempotencyKeys.paymentId });
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
  async attachPayment(tx: DbOrTx, s: IdempotencyScope, paymentId: string): Promise<void> {
    await tx.update(idempotencyKeys).set({ paymentId }).where(this.where(s));
  }

  async complete(s: IdempotencyScope, status: number, body: unknown): Promise<void> {
    await this.db
      .update(idempotencyKeys)
      .set({
        state: 'completed',
        responseStatus: status,
        responseBody: sql`${JSON.stringify(body)}::jsonb`,
        lockedUntil: null,
      })
      .where(this.where(s));
  }

  /**
   * The request failed after its payment committed: the key keeps its payment but stops being
   * "in progress", so the same request at once resumes that payment (IdempotencyStart 'resume').
   */
  async unlock(s: IdempotencyScope): Promise<void> {
    await this.db
      .update(idempotencyKeys)
      .set({ lockedUntil: new Date(Date.now() - 1) })
      .where(and(this.where(s), eq(idempotencyKeys.state, 'in_progress')));
  }

  /** Frees the key when the request failed before any side effect, so the cashier can simply retry. */
  async release(s: IdempotencyScope): Promise<void> {
    await this.db
      .delete(idempotencyKeys)
      .where(and(this.where(s), eq(idempotencyKeys.state, 'in_progress')));
  }
}
