import { Injectable } from '@nestjs/common';
import { NotFoundError, type TenantId } from '@malipo/common';
import { TenantsRepository, type TenantRow } from '@malipo/db';

@Injectable()
export class TenantsService {
  constructor(private readonly tenants: TenantsRepository) {}

  create(name: string): Promise<TenantRow> {
    return this.tenants.create({ name });
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
