import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, IS_PUBLIC, UnauthenticatedError } from '@malipo/common';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import type { AuthenticatedRequest } from './current-principal.decorator';
import type { Principal, Role } from './principal';
import { ROLES_KEY } from './roles.decorator';
import { CSRF_HEADER } from './session-cookie';
import { SessionAuthenticator } from './session-authenticator';

const BEARER = /^Bearer +(\S+) *$/i;

/**
 * Global guard: every route needs `Authorization: Bearer <key>` or a console session cookie
 * (writes with its CSRF token) unless marked @Public(), and the key's role must be one the route
 * lists in @Roles(...).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly sessions: SessionAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true; // WebSocket gateways authenticate themselves
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = await this.principalOf(request);
    request.principal = principal;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(principal.role)) {
      throw new ForbiddenError(`This route is not available to ${principal.role} keys`);
    }
    return true;
  }

  private async principalOf(request: AuthenticatedRequest): Promise<Principal> {
    const match = BEARER.exec(request.headers.authorization ?? '');
    if (match) {
      const principal = await this.authenticator.authenticate(match[1]);
      if (!principal) throw new UnauthenticatedError('Invalid or revoked API key');
      return principal;
    }
    const found = await this.sessions.fromCookie(request.headers.cookie);
    if (!found) throw new UnauthenticatedError('Missing API key (Authorization: Bearer <key>)');
    SessionAuthenticator.assertCsrf(found.session, request.method, request.headers[CSRF_HEADER]);
    request.consoleSession = { id: found.sessionId, csrf: found.session.csrf };
    return found.principal;
  }
}
