import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Public, type RequestWithRawBody } from '@malipo/common';
import { ACCEPTED, CallbackReceiverService } from '@malipo/payments';

/**
 * Daraja's STK callback. No "mpesa" or other banned word in the path (REFERENCE §2.4); Daraja
 * signs nothing, so the per-attempt token in the URL is the authentication.
 */
@ApiExcludeController()
@Public()
// Daraja documents no retry of a refused callback (REFERENCE §4.6): never rate-limit it.
@SkipThrottle()
@Controller('v1/hooks/stk')
export class StkCallbackController {
  constructor(private readonly receiver: CallbackReceiverService) {}

  @Post(':token')
  @HttpCode(200)
  receive(@Param('token') token: string, @Req() req: RequestWithRawBody): Promise<typeof ACCEPTED> {
    return this.receiver.receive({
      token,
      rawBody: req.rawBody,
      ip: req.ip,
      headers: req.headers,
    });
  }
}
