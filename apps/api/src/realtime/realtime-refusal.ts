import type { RefusalData } from '@malipo/realtime';

/**
 * A refused handshake. socket.io hands `data` to the client's `connect_error`, so a till can tell
 * a revoked key (stop retrying) from a full connection quota (retry later).
 */
export class RealtimeRefusal extends Error {
  readonly data: RefusalData;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'RealtimeRefusal';
    this.data = { code, message };
  }
}

export const REFUSALS = {
  missingKey: () => new RealtimeRefusal('AUTH.MISSING_KEY', 'Send the API key as auth.token'),
  invalidKey: () => new RealtimeRefusal('AUTH.INVALID_KEY', 'Invalid or revoked API key'),
  role: (role: string) =>
    new RealtimeRefusal(
      'AUTH.ROLE_NOT_ALLOWED',
      `${role} keys cannot subscribe; use a terminal or owner key`,
    ),
  tooMany: (limit: number) =>
    new RealtimeRefusal(
      'REALTIME.TOO_MANY_CONNECTIONS',
      `This key already holds ${limit} connections; close one first`,
    ),
  badLastSeq: () =>
    new RealtimeRefusal('REALTIME.INVALID_LAST_SEQ', 'auth.lastSeq must be a whole number >= 0'),
  wrongNamespace: () =>
    new RealtimeRefusal('REALTIME.NAMESPACE', 'Connect to the /terminals namespace'),
};
