import { Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { TenantId } from '@malipo/common';
import { VerifyService, type VerifyAnswer } from '@malipo/payments';
import { ActingTenant, Roles } from '../auth';

@ApiTags('payments')
@ApiBearerAuth()
@Controller('v1/payments')
export class VerifyController {
  constructor(private readonly verifier: VerifyService) {}

  @Post(':id/verify')
  @HttpCode(200)
  @Roles('owner', 'ops')
  @ApiOperation({
    summary: 'Ask M-Pesa now: STK Query for the latest attempt, Transaction Status for the receipt',
    description:
      "Answers { payment, statusBefore, mpesa: { stkQuery, transactionStatus } }: M-Pesa's record (amount, parties, time, status) beside Malipo's. " +
      'A difference is applied through the one path (a late success wins) or opens a verify_mismatch discrepancy. ' +
      "Shares the channel's query budget with the reconciler (state `budget` when spent).",
  })
  @ApiResponse({ status: 200, description: 'Both records, after anything verify applied' })
  @ApiResponse({ status: 404, description: 'PAYMENT.NOT_FOUND' })
  verify(
    @ActingTenant() tenantId: TenantId,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<VerifyAnswer> {
    return this.verifier.verify(tenantId, id);
  }
}
