import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AppConfig, UnavailableError } from '@malipo/common';
import { REDIS } from '@malipo/queue';
import type Redis from 'ioredis';

export interface ConsoleSession {
  /** sha256 of the API key the session was opened with: re-checked on every request. */
  keyHash: string;
  keyId: string;
  /** Sent back by the console in `x-csrf-token` on every write. */
  csrf: string;
}

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');
const token = (): string => randomBytes(32).toString('base64url');

/**
 * Server-side console sessions in Redis. Only hashes of session ids are stored, so a copy of Redis
 * holds nothing a browser could present. Each request slides the idle expiry; a key's sessions
 * are indexed so that revoking the key ends them all at once.
 */
@Injectable()
export class ConsoleSessionStore {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  private sessionKey(id: string): string {
    return `console-session:${sha256(id)}`;
  }

  private indexKey(keyId: string): string {
    return `console-sessions-of:${keyId}`;
  }

  async open(keyHash: string, keyId: string): Promise<{ id: string; session: ConsoleSession }> {
    const id = token();
    const session: ConsoleSession = { keyHash, keyId, csrf: token() };
    const ttl = this.config.CONSOLE_SESSION_IDLE_SECONDS;
    await this.guard(
      this.redis
        .multi()
        .set(this.sessionKey(id), JSON.stringify(session), 'EX', ttl)
        .sadd(this.indexKey(keyId), this.sessionKey(id))
        .expire(this.indexKey(keyId), ttl * 4)
        .exec(),
    );
    return { id, session };
  }

  /** The live session for this id, its idle expiry pushed back; undefined when ended or unknown. */
  async find(id: string): Promise<ConsoleSession | undefined> {
    if (!id || id.length > 100) return undefined;
    const key = this.sessionKey(id);
    const raw = await this.guard(
      this.redis.getex(key, 'EX', this.config.CONSOLE_SESSION_IDLE_SECONDS),
    );
    return raw ? (JSON.parse(raw) as ConsoleSession) : undefined;
  }

  async end(id: string): Promise<void> {
    await this.guard(this.redis.del(this.sessionKey(id)));
  }

  /** Every session opened with this key ends now (the key was revoked). */
  async endAllOf(keyId: string): Promise<void> {
    const members = await this.guard(this.redis.smembers(this.indexKey(keyId)));
    await this.guard(this.redis.del(this.indexKey(keyId), ...members));
  }

  static csrfMatches(session: ConsoleSession, presented: string | undefined): boolean {
    if (!presented) return false;
    const a = Buffer.from(session.csrf);
    const b = Buffer.from(presented);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private async guard<T>(work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      throw new UnavailableError('Sessions are unavailable; try again', 'SERVICE.UNAVAILABLE', {
        cause: error,
      });
    }
  }
}
