import { Injectable } from '@nestjs/common';
import {
  ForbiddenError,
  NotFoundError,
  ValidationError,
  generateApiKey,
  type TenantId,
} from '@malipo/common';
import { AuditLog, PLATFORM_CHAIN_ID, type AuditRecord } from '@malipo/audit';
import { ApiKeysRepository, TerminalsRepository, type ApiKeyRow } from '@malipo/db';
import { ApiKeyAuthenticator } from '../auth/api-key.authenticator';
import { ConsoleSessionStore } from '../auth/console-session.store';
import { tenantOf, type Principal } from '../auth/principal';
import type { CreateKeyDto } from './dto/create-key.dto';
import { TenantsService } from './tenants.service';

/**
 * Which keys an ops caller manages: with `x-tenant-id` that tenant's keys, without it the ops
 * keys. Owners always manage their own tenant's keys.
 */
/** A key's audit record: who it is for, never its hash or secret. */
const keyRecord = (action: string, row: ApiKeyRow): AuditRecord => ({
  action,
  subject: { keyId: row.id, role: row.role, terminalId: row.terminalId },
  data: { name: row.name, prefix: row.prefix },
});

type KeyScope = { kind: 'tenant'; tenantId: TenantId } | { kind: 'ops' };

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly terminals: TerminalsRepository,
    private readonly tenants: TenantsService,
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly sessions: ConsoleSessionStore,
    private readonly audit: AuditLog,
  ) {}

  async create(
    principal: Principal,
    requestedTenant: string | undefined,
    dto: CreateKeyDto,
  ): Promise<{ row: ApiKeyRow; key: string }> {
    if (dto.role !== 'terminal' && dto.terminalId !== undefined) {
      throw new ValidationError('terminalId is only for terminal keys', { field: 'terminalId' });
    }
    const tenantId = await this.tenantForNewKey(principal, requestedTenant, dto);
    if (dto.role === 'terminal') {
      const terminal = await this.terminals.findById(tenantId as TenantId, dto.terminalId ?? '');
      if (!terminal) {
        throw new NotFoundError('Terminal not found', 'TERMINAL.NOT_FOUND', {
          field: 'terminalId',
        });
      }
    }
    const generated = generateApiKey(dto.role);
    const row = await this.audit.db.transaction(async (tx) => {
      const created = await this.keys.create(
        {
          tenantId,
          terminalId: dto.role === 'terminal' ? (dto.terminalId ?? null) : null,
          role: dto.role,
          name: dto.name,
          prefix: generated.prefix,
          keyHash: generated.hash,
        },
        tx,
      );
      await this.audit.append(
        tx,
        created.tenantId ?? PLATFORM_CHAIN_ID,
        keyRecord('key.created', created),
      );
      return created;
    });
    return { row, key: generated.key };
  }

  async list(principal: Principal, requestedTenant: string | undefined): Promise<ApiKeyRow[]> {
    const scope = this.scopeOf(principal, requestedTenant);
    return scope.kind === 'ops' ? this.keys.listOps() : this.keys.list(scope.tenantId);
  }

  async revoke(
    principal: Principal,
    requestedTenant: string | undefined,
    keyId: string,
  ): Promise<ApiKeyRow> {
    const scope = this.scopeOf(principal, requestedTenant);
    const row = await this.audit.db.transaction(async (tx) => {
      const revoked =
        scope.kind === 'ops'
          ? await this.keys.revokeOps(keyId, tx)
          : await this.keys.revoke(scope.tenantId, keyId, tx);
      if (revoked) {
        await this.audit.append(
          tx,
          revoked.tenantId ?? PLATFORM_CHAIN_ID,
          keyRecord('key.revoked', revoked),
        );
      }
      return revoked;
    });
    this.authenticator.forgetAll();
    if (!row) throw new NotFoundError('API key not found', 'API_KEY.NOT_FOUND');
    await this.sessions.endAllOf(row.id);
    return row;
  }

  private async tenantForNewKey(
    principal: Principal,
    requestedTenant: string | undefined,
    dto: CreateKeyDto,
  ): Promise<TenantId | null> {
    if (dto.role === 'ops') {
      if (principal.role !== 'ops') throw new ForbiddenError('Only ops keys may create ops keys');
      return null;
    }
    const tenantId = tenantOf(principal, requestedTenant);
    await this.tenants.require(tenantId);
    return tenantId;
  }

  private scopeOf(principal: Principal, requestedTenant: string | undefined): KeyScope {
    if (principal.role === 'ops' && !requestedTenant) return { kind: 'ops' };
    return { kind: 'tenant', tenantId: tenantOf(principal, requestedTenant) };
  }
}
