import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { TenantId } from '@malipo/common';
import { C2bRegistrationService } from '@malipo/payments';
import { ActingTenant, Roles } from '../auth';
import { AdminRoute, NOT_FOUND, TenantHeader } from '../admin/admin-api.decorators';
import { RegisterC2bDto } from '../admin/dto/channel-settings.dto';
import { IdParamPipe } from '../admin/id-param.pipe';
import { RegisterC2bResult } from './dto/incoming.dto';

@ApiTags('admin')
@AdminRoute()
@TenantHeader()
@Roles('owner', 'ops')
@Controller('v1/channels')
export class C2bRegisterController {
  constructor(private readonly registration: C2bRegistrationService) {}

  @Post(':id/c2b/register')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Register the confirmation and validation URLs of this paybill or till with Daraja',
    description:
      'kind=registered, or refused (reason: Daraja errorCode, e.g. 500.003.1001 "Urls are already registered"), or unknown (answer lost).',
  })
  @ApiOkResponse({ type: RegisterC2bResult })
  @ApiResponse(NOT_FOUND)
  register(
    @ActingTenant() tenantId: TenantId,
    @Param('id', IdParamPipe) id: string,
    @Body() dto: RegisterC2bDto,
  ): Promise<RegisterC2bResult> {
    return this.registration.register(tenantId, id, dto.responseType ?? 'Completed');
  }
}
