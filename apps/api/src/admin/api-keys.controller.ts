import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal, requestedTenantOf } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { AdminRoute, NOT_FOUND, TenantHeader } from './admin-api.decorators';
import { ApiKeysService } from './api-keys.service';
import { CreateKeyDto } from './dto/create-key.dto';
import { ApiKeyView, CreatedApiKeyView } from './dto/views';
import { IdParamPipe } from './id-param.pipe';

@ApiTags('admin')
@AdminRoute()
@TenantHeader(false)
@Roles('owner', 'ops')
@Controller('v1/keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @ApiOperation({ summary: 'Create a key; the key itself is in this answer only' })
  @ApiCreatedResponse({ type: CreatedApiKeyView })
  @ApiResponse(NOT_FOUND)
  async create(
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Body() dto: CreateKeyDto,
  ): Promise<CreatedApiKeyView> {
    const { row, key } = await this.keys.create(principal, requestedTenantOf(request), dto);
    return { ...ApiKeyView.of(row), key };
  }

  @Get()
  @ApiOperation({ summary: 'List keys (prefix only; never the key or its hash)' })
  @ApiOkResponse({ type: [ApiKeyView] })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<ApiKeyView[]> {
    return (await this.keys.list(principal, requestedTenantOf(request))).map((k) =>
      ApiKeyView.of(k),
    );
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a key; it stops working immediately' })
  @ApiOkResponse({ type: ApiKeyView })
  @ApiResponse(NOT_FOUND)
  async revoke(
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Param('id', IdParamPipe) id: string,
  ): Promise<ApiKeyView> {
    return ApiKeyView.of(await this.keys.revoke(principal, requestedTenantOf(request), id));
  }
}
