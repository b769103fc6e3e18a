import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError, IS_PUBLIC, NotFoundError, UnauthenticatedError } from '@malipo/common';
import { TenantsRepository } from '@malipo/db';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import { AuthFailureLimiter } from './auth-failure.limiter';
import { requestedTenantOf, type AuthenticatedRequest } from './current-principal.decorator';
import { tenantOf, type Principal, type Role } from './principal';
import { ROLES_KEY } from './roles.decorator';
import { CSRF_HEADER } from './session-cookie';
import { SessionAuthenticator } from './session-authenticator';

const BEARER = /^Bearer +(\S+) *$/i;

/**
 * Global guard: every route needs `Authorization: Bearer <key>` or a console session cookie
 * (writes with its CSRF token) unless marked @Public(), and the key's role must be one the route
 * lists in @Roles(...). Failed authentications are counted per client address.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly sessions: SessionAuthenticator,
    private readonly tenants: TenantsRepository,
    private readonly failures: AuthFailureLimiter,
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
    await this.requireNamedTenant(principal, requestedTenantOf(request));
    return true;
  }

  private async principalOf(request: AuthenticatedRequest): Promise<Principal> {
    const match = BEARER.exec(request.headers.authorization ?? '');
    if (match) {
      const principal = await this.authenticator.authenticate(match[1]);
      if (!principal) return this.refuse(request, 'Invalid or revoked API key');
      return principal;
    }
    const found = await this.sessions.fromCookie(request.headers.cookie);
    if (!found) return this.refuse(request, 'Missing API key (Authorization: Bearer <key>)');
    SessionAuthenticator.assertCsrf(found.session, request.method, request.headers[CSRF_HEADER]);
    request.consoleSession = { id: found.sessionId, csrf: found.session.csrf };
    return found.principal;
  }

  private async refuse(request: AuthenticatedRequest, message: string): Promise<never> {
    await this.failures.failed(request.ip);
    throw new UnauthenticatedError(message);
  }

  /**
   * An ops key naming a shop (x-tenant-id) must name one that exists, on every route: otherwise
   * a write reaches PostgreSQL with a foreign key to nothing and a read pretends the shop is empty.
   */
  private async requireNamedTenant(principal: Principal, requested: string | undefined) {
    if (principal.role !== 'ops' || requested === undefined) return;
    const tenantId = tenantOf(principal, requested);
    if (!(await this.tenants.findById(tenantId))) {
      throw new NotFoundError('Tenant not found', 'TENANT.NOT_FOUND');
    }
  }
}
