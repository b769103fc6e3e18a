import { Injectable } from '@nestjs/common';
import { AuditLog, PLATFORM_CHAIN_ID } from '@malipo/audit';
import { NotFoundError, type TenantId } from '@malipo/common';
import { TenantsRepository, type TenantRow } from '@malipo/db';

@Injectable()
export class TenantsService {
  constructor(
    private readonly tenants: TenantsRepository,
    private readonly audit: AuditLog,
  ) {}

  /** A new shop, recorded in the platform log (its own chain starts empty, at its genesis). */
  create(name: string): Promise<TenantRow> {
    return this.audit.db.transaction(async (tx) => {
      const row = await this.tenants.create({ name }, tx);
      await this.audit.append(tx, PLATFORM_CHAIN_ID, {
        action: 'tenant.created',
        subject: { shopId: row.id },
        data: { name: row.name },
      });
      return row;
    });
  }

  list(): Promise<TenantRow[]> {
    return this.tenants.listAll();
  }

  /** Ops keys name their tenant in a header; writes for a tenant that does not exist are a 404. */
  async require(tenantId: TenantId): Promise<TenantRow> {
    const tenant = await this.tenants.findById(tenantId);
    if (!tenant) throw new NotFoundError('Tenant not found', 'TENANT.NOT_FOUND');
    return tenant;
  }
}
