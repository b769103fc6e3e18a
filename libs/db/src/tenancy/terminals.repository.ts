import { Inject, Injectable } from '@nestjs/common';
import type { TenantId } from '@malipo/common';
import { and, asc, eq } from 'drizzle-orm';
import { DRIZZLE, type Db, type DbOrTx } from '../db.types';
import { terminals } from '../schema/tenancy';
import type { TerminalRow } from './tenancy.types';

export interface NewTerminal {
  name: string;
  code: string;
  channelId?: string | null;
}

/** Terminals of one tenant; another tenant's terminal is simply not found. */
@Injectable()
export class TerminalsRepository {
  constructor(@Inject(DRIZZLE) private readonly db: Db) {}

  /** Throws the driver's unique violation (23505) when the code is taken in this tenant. */
  async create(tenantId: TenantId, input: NewTerminal, tx: DbOrTx = this.db): Promise<TerminalRow> {
    const [row] = await tx
      .insert(terminals)
      .values({ ...input, tenantId })
      .returning();
    return row;
  }

  async findById(
    tenantId: TenantId,
    terminalId: string,
    tx: DbOrTx = this.db,
  ): Promise<TerminalRow | undefined> {
    const [row] = await tx
      .select()
      .from(terminals)
      .where(and(eq(terminals.tenantId, tenantId), eq(terminals.id, terminalId)));
    return row;
  }

  async findByCode(
    tenantId: TenantId,
    code: string,
    tx: DbOrTx = this.db,
  ): Promise<TerminalRow | undefined> {
    const [row] = await tx
      .select()
      .from(terminals)
      .where(and(eq(terminals.tenantId, tenantId), eq(terminals.code, code)));
    return row;
  }

  async list(tenantId: TenantId, tx: DbOrTx = this.db): Promise<TerminalRow[]> {
    return tx
      .select()
      .from(terminals)
      .where(eq(terminals.tenantId, tenantId))
      .orderBy(asc(terminals.createdAt), asc(terminals.id));
  }
}
