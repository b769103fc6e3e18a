import { Injectable } from '@nestjs/common';
import { AppConfig, metrics } from '@malipo/common';
import { keyRoom, type HandshakeAuth } from '@malipo/realtime';
import { ApiKeyAuthenticator, SessionAuthenticator, type Principal } from '../auth';
import { REFUSALS, RealtimeRefusal } from './realtime-refusal';
import type { TerminalsNamespace, TerminalsSocket } from './socket-state';

/**
 * Handshake middleware: the HTTP guard lets non-HTTP contexts through, so the socket proves its key
 * here. Only terminal and owner keys may subscribe; each key holds a bounded number of sockets
 * over all replicas (counted through the Redis adapter, so two simultaneous handshakes of one key
 * may both pass: the bound is soft by at most the handshakes in flight).
 */
@Injectable()
export class RealtimeHandshake {
  constructor(
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly sessions: SessionAuthenticator,
    private readonly config: AppConfig,
  ) {}

  async admit(socket: TerminalsSocket, nsp: TerminalsNamespace): Promise<void> {
    const auth = (socket.handshake.auth ?? {}) as Partial<HandshakeAuth>;
    const resumeFrom = parseLastSeq(auth.lastSeq);
    const principal = await this.principalOf(auth.token, socket.handshake.headers.cookie);
    const limit = this.config.REALTIME_MAX_CONNECTIONS_PER_KEY;
    const open = await nsp.in(keyRoom(principal.keyId)).fetchSockets();
    if (open.length >= limit) throw REFUSALS.tooMany(limit);
    socket.data = {
      principal,
      resumeFrom,
      replaying: resumeFrom !== undefined,
      floor: 0,
      lastSent: resumeFrom ?? 0,
      buffer: [],
      chain: Promise.resolve(),
    };
  }

  /** The key in `auth.token`, or else the console's session cookie (same-origin handshake). */
  private async principalOf(token: unknown, cookie: string | undefined): Promise<Principal> {
    const hasToken = typeof token === 'string' && token !== '';
    const principal = hasToken
      ? await this.authenticator.authenticate(token)
      : (await this.sessions.fromCookie(cookie))?.principal;
    if (!principal && !hasToken && !cookie) throw REFUSALS.missingKey();
    if (!principal) throw REFUSALS.invalidKey();
    if (principal.role === 'ops') throw REFUSALS.role(principal.role);
    if (!principal.tenantId || (principal.role === 'terminal' && !principal.terminalId)) {
      throw REFUSALS.invalidKey();
    }
    return principal;
  }

  /** socket.io `next` argument for a failed admission; counted by reason. */
  static refusal(error: unknown): RealtimeRefusal {
    const refusal =
      error instanceof RealtimeRefusal
        ? error
        : new RealtimeRefusal('REALTIME.UNAVAILABLE', 'Try again shortly');
    metrics.realtimeRefused.inc({ reason: refusal.data.code });
    return refusal;
  }
}

export function parseLastSeq(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw REFUSALS.badLastSeq();
  return n;
}
