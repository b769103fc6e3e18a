import { Injectable } from '@nestjs/common';
import { AuditLog } from '@malipo/audit';
import { ConflictError, NotFoundError, type TenantId } from '@malipo/common';
import {
  ChannelsRepository,
  TerminalsRepository,
  isUniqueViolation,
  type TerminalRow,
} from '@malipo/db';
import type { CreateTerminalDto } from './dto/create-terminal.dto';
import { TenantsService } from './tenants.service';

@Injectable()
export class TerminalsService {
  constructor(
    private readonly terminals: TerminalsRepository,
    private readonly channels: ChannelsRepository,
    private readonly tenants: TenantsService,
    private readonly audit: AuditLog,
  ) {}

  async create(tenantId: TenantId, dto: CreateTerminalDto): Promise<TerminalRow> {
    await this.tenants.require(tenantId);
    if (dto.channelId && !(await this.channels.findById(tenantId, dto.channelId))) {
      throw new NotFoundError('Channel not found', 'CHANNEL.NOT_FOUND', { field: 'channelId' });
    }
    try {
      return await this.audit.db.transaction(async (tx) => {
        const row = await this.terminals.create(
          tenantId,
          { name: dto.name, code: dto.code, channelId: dto.channelId ?? null },
          tx,
        );
        await this.audit.append(tx, tenantId, {
          action: 'terminal.created',
          subject: { terminalId: row.id },
          data: { name: row.name, code: row.code, channelId: row.channelId },
        });
        return row;
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new ConflictError('A terminal with this code exists', 'TERMINAL.CODE_TAKEN', {
        field: 'code',
      });
    }
  }

  list(tenantId: TenantId): Promise<TerminalRow[]> {
    return this.terminals.list(tenantId);
  }
}
