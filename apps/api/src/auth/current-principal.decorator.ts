import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { UnauthenticatedError, type TenantId } from '@malipo/common';
import type { FastifyRequest } from 'fastify';
import { TENANT_HEADER, tenantOf, type Principal } from './principal';

export type AuthenticatedRequest = FastifyRequest & {
  principal?: Principal;
  /** Set when the request was authenticated by a console session cookie. */
  consoleSession?: { id: string; csrf: string };
};

export function principalOf(request: AuthenticatedRequest): Principal {
  if (!request.principal) throw new UnauthenticatedError('Missing API key');
  return request.principal;
}

export function requestedTenantOf(request: FastifyRequest): string | undefined {
  const value = request.headers[TENANT_HEADER];
  return Array.isArray(value) ? value[0] : value;
}

/** The authenticated caller, as attached by the API key guard. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal =>
    principalOf(ctx.switchToHttp().getRequest<AuthenticatedRequest>()),
);

/** The tenant the request acts on (`tenantOf(principal, x-tenant-id header)`). */
export const ActingTenant = createParamDecorator((_: unknown, ctx: ExecutionContext): TenantId => {
  const request = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
  return tenantOf(principalOf(request), requestedTenantOf(request));
});
