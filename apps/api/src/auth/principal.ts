import {
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
  asTenantId,
  type TenantId,
} from '@malipo/common';

export type Role = 'terminal' | 'owner' | 'ops';

export interface Principal {
  keyId: string;
  role: Role;
  /** Null only for ops. */
  tenantId: TenantId | null;
  /** Set only for terminal keys. */
  terminalId: string | null;
}

/** Header with which an ops key names the tenant it acts on. */
export const TENANT_HEADER = 'x-tenant-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Resolves which tenant a request acts on: terminal/owner => their own tenant (a different
 * requested tenant is NotFound, as for any other tenant's resource); ops => the tenant named by
 * the `x-tenant-id` header (ValidationError 'TENANT.REQUIRED' if missing).
 */
export function tenantOf(principal: Principal, requestedTenantId?: string): TenantId {
  if (principal.role === 'ops') {
    if (!requestedTenantId) {
      throw new ValidationError(
        `Header ${TENANT_HEADER} is required for ops keys`,
        { field: TENANT_HEADER },
        'TENANT.REQUIRED',
      );
    }
    if (!UUID.test(requestedTenantId)) {
      throw new ValidationError(
        `Header ${TENANT_HEADER} must be a UUID`,
        { field: TENANT_HEADER },
        'TENANT.INVALID',
      );
    }
    return asTenantId(requestedTenantId.toLowerCase());
  }
  if (!principal.tenantId) throw new UnauthenticatedError('API key has no tenant');
  if (requestedTenantId && requestedTenantId.toLowerCase() !== principal.tenantId) {
    throw new NotFoundError('Tenant not found', 'TENANT.NOT_FOUND');
  }
  return principal.tenantId;
}
