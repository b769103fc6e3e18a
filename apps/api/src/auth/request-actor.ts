import type { Actor } from '@malipo/audit';
import type { AuthenticatedRequest } from './current-principal.decorator';
import type { Principal } from './principal';

/** The actor of a request authenticated as `principal` (by key or console session). */
export function principalActor(request: AuthenticatedRequest, principal: Principal): Actor {
  const kind =
    principal.role === 'ops' ? 'operator' : request.consoleSession ? 'session' : 'api_key';
  return {
    kind,
    keyId: principal.keyId,
    role: principal.role,
    ...(principal.terminalId ? { terminalId: principal.terminalId } : {}),
    ip: request.ip,
    requestId: String(request.id),
  };
}

/**
 * Who a request acts as: its key or session; on a public route, Daraja (its callback paths are
 * the only public writes besides signing in, whose controller names the key it signed in with).
 */
export function requestActor(request: AuthenticatedRequest): Actor {
  if (request.principal) return principalActor(request, request.principal);
  return { kind: 'daraja', ip: request.ip };
}
