import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { AdminRoute } from './admin-api.decorators';
import { CreateTenantDto } from './dto/create-tenant.dto';
import { TenantView } from './dto/views';
import { TenantsService } from './tenants.service';

@ApiTags('admin')
@AdminRoute()
@Roles('ops')
@Controller('v1/tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Post()
  @ApiCreatedResponse({ type: TenantView })
  async create(@Body() dto: CreateTenantDto): Promise<TenantView> {
    return TenantView.of(await this.tenants.create(dto.name));
  }

  @Get()
  @ApiOkResponse({ type: [TenantView] })
  async list(): Promise<TenantView[]> {
    return (await this.tenants.list()).map((t) => TenantView.of(t));
  }
}
