import { Injectable } from '@nestjs/common';
import { ForbiddenError } from '@malipo/common';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import { ConsoleSessionStore, type ConsoleSession } from './console-session.store';
import type { Principal } from './principal';
import { sessionIdFrom } from './session-cookie';

export interface SessionPrincipal {
  principal: Principal;
  session: ConsoleSession;
  sessionId: string;
}

/**
 * A console session stands in for its API key: the key is re-checked (by hash) on every request,
 * so a revoked key ends the session at once, and the session is then deleted.
 */
@Injectable()
export class SessionAuthenticator {
  constructor(
    private readonly sessions: ConsoleSessionStore,
    private readonly keys: ApiKeyAuthenticator,
  ) {}

  async fromCookie(cookieHeader: string | undefined): Promise<SessionPrincipal | undefined> {
    const sessionId = sessionIdFrom(cookieHeader);
    if (!sessionId) return undefined;
    const session = await this.sessions.find(sessionId);
    if (!session) return undefined;
    const principal = await this.keys.authenticateHash(session.keyHash);
    if (!principal) {
      await this.sessions.endAllOf(session.keyId);
      return undefined;
    }
    return { principal, session, sessionId };
  }

  /** Cookies ride along on cross-site requests; a write must also prove it read the session. */
  static assertCsrf(session: ConsoleSession, method: string, header: unknown): void {
    if (['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase())) return;
    const presented = typeof header === 'string' ? header : undefined;
    if (!ConsoleSessionStore.csrfMatches(session, presented)) {
      throw new ForbiddenError('Missing or wrong x-csrf-token for this session', 'AUTH.CSRF');
    }
  }
}
