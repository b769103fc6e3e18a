import {
  Body,
  Controller,
  Get,
  Headers,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { TenantId } from '@malipo/common';
import { AccountService, StatementService, toAccountView } from '@malipo/payments';
import { Readable } from 'node:stream';
import { ActingTenant, CurrentPrincipal, Roles, type Principal } from '../auth';
import {
  CreateAccountDto,
  DepositLimitsDto,
  ListAccountsQuery,
  StatementQuery,
} from './dto/account.dto';
import { AccountPageDto, AccountViewDto, StatementPageDto } from './dto/account.views';

/** A till sees the last three digits of a phone, as it does on payments. */
const fullPhone = (p: Principal) => p.role !== 'terminal';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller('v1')
export class AccountsController {
  constructor(
    private readonly accounts: AccountService,
    private readonly statements: StatementService,
  ) {}

  @Post('accounts')
  @Roles('owner', 'ops')
  @ApiOperation({ summary: 'Open a customer account (balance 0)' })
  @ApiResponse({ status: 201, type: AccountViewDto })
  @ApiResponse({ status: 409, description: 'ACCOUNT.EXTERNAL_REF_IN_USE' })
  async create(
    @CurrentPrincipal() principal: Principal,
    @ActingTenant() tenantId: TenantId,
    @Body() dto: CreateAccountDto,
  ): Promise<AccountViewDto> {
    const row = await this.accounts.create(tenantId, dto);
    return toAccountView(row, { fullPhone: fullPhone(principal) });
  }

  /** Tills may search too: "Pay from balance" starts by finding the customer. */
  @Get('accounts')
  @Roles('terminal', 'owner', 'ops')
  @ApiOperation({ summary: 'Customer accounts, newest first, with a cursor' })
  @ApiOkResponse({ type: AccountPageDto })
  async list(
    @CurrentPrincipal() principal: Principal,
    @ActingTenant() tenantId: TenantId,
    @Query() q: ListAccountsQuery,
  ): Promise<AccountPageDto> {
    const page = await this.accounts.list(tenantId, q);
    const opts = { fullPhone: fullPhone(principal) };
    return { data: page.items.map((a) => toAccountView(a, opts)), nextCursor: page.nextCursor };
  }

  @Get('accounts/:id')
  @Roles('terminal', 'owner', 'ops')
  @ApiOkResponse({ type: AccountViewDto })
  @ApiResponse({ status: 404, description: 'ACCOUNT.NOT_FOUND' })
  async get(
    @CurrentPrincipal() principal: Principal,
    @ActingTenant() tenantId: TenantId,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<AccountViewDto> {
    const row = await this.accounts.get(tenantId, id);
    return toAccountView(row, { fullPhone: fullPhone(principal) });
  }

  @Get('accounts/:id/statement')
  @Roles('terminal', 'owner', 'ops')
  @ApiOperation({ summary: 'Ledger entries of the account, newest first; ?format=csv for all' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: StatementPageDto })
  @ApiResponse({ status: 404, description: 'ACCOUNT.NOT_FOUND' })
  async statement(
    @ActingTenant() tenantId: TenantId,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: StatementQuery,
    @Headers('accept') accept?: string,
  ): Promise<StatementPageDto | StreamableFile> {
    if (q.format === 'csv' || (!q.format && accept?.includes('text/csv'))) {
      await this.statements.mustExist(tenantId, id);
      return new StreamableFile(Readable.from(this.statements.csv(tenantId, id)), {
        type: 'text/csv; charset=utf-8',
        disposition: `attachment; filename="statement-${id}.csv"`,
      });
    }
    return this.statements.page(tenantId, id, q);
  }

  @Get('account-settings')
  @Roles('owner', 'ops')
  @ApiOkResponse({ type: DepositLimitsDto })
  depositLimits(@ActingTenant() tenantId: TenantId): Promise<DepositLimitsDto> {
    return this.accounts.depositLimits(tenantId);
  }

  @Put('account-settings')
  @Roles('owner', 'ops')
  @ApiOperation({ summary: "Set the shop's smallest and largest deposit" })
  @ApiOkResponse({ type: DepositLimitsDto })
  @ApiResponse({ status: 400, description: 'VALIDATION.FAILED (depositMin above depositMax)' })
  setDepositLimits(
    @ActingTenant() tenantId: TenantId,
    @Body() dto: DepositLimitsDto,
  ): Promise<DepositLimitsDto> {
    return this.accounts.setDepositLimits(tenantId, dto);
  }
}
