import { Injectable } from '@nestjs/common';
import { AuditLog } from '@malipo/audit';
import { maskPhone, NotFoundError, ValidationError, type TenantId } from '@malipo/common';
import { isUniqueViolation } from '@malipo/db';
import { normalisePhone } from '@malipo/daraja';
import { randomInt } from 'node:crypto';
import { AccountsRepository, type AccountRow } from './accounts.repository';
import { accountNotFound, externalRefInUse } from './account.errors';
import { accountOpenedRecord, depositLimitsRecord } from './account-audit';
import { accountCode, type DepositLimits } from './ledger-rules';

export interface AccountView {
  id: string;
  /** The AccountReference a deposit's prompt carries. */
  code: string;
  name: string;
  /** Full for owners and ops, last three digits for tills (as payments show phones). */
  phone: string | null;
  externalRef: string | null;
  status: 'active' | 'closed';
  /** Whole KES. */
  balance: number;
  createdAt: string;
}

export function toAccountView(row: AccountRow, opts: { fullPhone: boolean }): AccountView {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    phone: row.phone && !opts.fullPhone ? maskPhone(row.phone) : row.phone,
    externalRef: row.externalRef,
    status: row.status,
    balance: row.balance,
    createdAt: row.createdAt.toISOString(),
  };
}

const CODE_TRIES = 3;

/** Customer accounts: opening, finding, listing, and the shop's deposit limits. */
@Injectable()
export class AccountService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly audit: AuditLog,
  ) {}

  async create(
    tenantId: TenantId,
    input: { name: string; phone?: string; externalRef?: string },
  ): Promise<AccountRow> {
    const fields = {
      name: input.name.trim(),
      phone: input.phone ? normalisePhone(input.phone, 'phone') : null,
      externalRef: input.externalRef?.trim() || null,
    };
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.accounts.db.transaction(async (tx) => {
          const code = accountCode(randomInt);
          const row = await this.accounts.create(tenantId, { ...fields, code }, tx);
          await this.audit.append(tx, tenantId, accountOpenedRecord(row));
          return row;
        });
      } catch (error) {
        if (isUniqueViolation(error, 'accounts_tenant_external_ref_uq')) throw externalRefInUse();
        // A code already taken in this shop (1 in 800 billion): draw again.
        if (!isUniqueViolation(error, 'accounts_tenant_code_uq') || attempt >= CODE_TRIES) {
          throw error;
        }
      }
    }
  }

  async get(tenantId: TenantId, id: string): Promise<AccountRow> {
    const row = await this.accounts.find(this.accounts.db, tenantId, id);
    if (!row) throw accountNotFound();
    return row;
  }

  async list(
    tenantId: TenantId,
    q: { q?: string; limit: number; cursor?: string },
  ): Promise<{ items: AccountRow[]; nextCursor: string | null }> {
    const phone = q.q ? phoneOrUndefined(q.q) : undefined;
    const items = await this.accounts.list(tenantId, {
      q: q.q,
      phone,
      afterId: q.cursor,
      limit: q.limit,
    });
    const nextCursor = items.length === q.limit ? items[items.length - 1].id : null;
    return { items, nextCursor };
  }

  async depositLimits(tenantId: TenantId): Promise<DepositLimits> {
    const limits = await this.accounts.depositLimits(tenantId);
    if (!limits) throw new NotFoundError('Tenant not found', 'TENANT.NOT_FOUND');
    return limits;
  }

  async setDepositLimits(tenantId: TenantId, limits: DepositLimits): Promise<DepositLimits> {
    if (limits.depositMin > limits.depositMax) {
      throw new ValidationError('depositMin must not be above depositMax', { field: 'depositMin' });
    }
    const row = await this.accounts.db.transaction(async (tx) => {
      const set = await this.accounts.setDepositLimits(tenantId, limits, tx);
      if (set) await this.audit.append(tx, tenantId, depositLimitsRecord(set));
      return set;
    });
    if (!row) throw new NotFoundError('Tenant not found', 'TENANT.NOT_FOUND');
    return row;
  }
}

function phoneOrUndefined(text: string): string | undefined {
  try {
    return normalisePhone(text, 'q');
  } catch {
    return undefined;
  }
}
