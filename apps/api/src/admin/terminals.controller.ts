import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { TenantId } from '@malipo/common';
import { ActingTenant } from '../auth/current-principal.decorator';
import { Roles } from '../auth/roles.decorator';
import { AdminRoute, NOT_FOUND, TenantHeader } from './admin-api.decorators';
import { CreateTerminalDto } from './dto/create-terminal.dto';
import { TerminalView } from './dto/views';
import { TerminalsService } from './terminals.service';

@ApiTags('admin')
@AdminRoute()
@TenantHeader()
@Roles('owner', 'ops')
@Controller('v1/terminals')
export class TerminalsController {
  constructor(private readonly terminals: TerminalsService) {}

  @Post()
  @ApiCreatedResponse({ type: TerminalView })
  @ApiResponse(NOT_FOUND)
  @ApiResponse({ status: 409, description: 'TERMINAL.CODE_TAKEN' })
  async create(
    @ActingTenant() tenantId: TenantId,
    @Body() dto: CreateTerminalDto,
  ): Promise<TerminalView> {
    return TerminalView.of(await this.terminals.create(tenantId, dto));
  }

  @Get()
  @ApiOkResponse({ type: [TerminalView] })
  async list(@ActingTenant() tenantId: TenantId): Promise<TerminalView[]> {
    return (await this.terminals.list(tenantId)).map((t) => TerminalView.of(t));
  }
}
