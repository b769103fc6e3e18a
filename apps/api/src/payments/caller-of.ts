import type { TenantId } from '@malipo/common';
import type { Caller } from '@malipo/payments';
import type { Principal } from '../auth';

export const callerOf = (principal: Principal, tenantId: TenantId): Caller => ({
  tenantId,
  terminalId: principal.terminalId,
  // A till shows the last three digits; the shop owner and operators see the number.
  fullPhone: principal.role !== 'terminal',
});
