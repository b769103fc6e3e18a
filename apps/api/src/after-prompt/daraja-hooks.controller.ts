import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Public, type RequestWithRawBody } from '@malipo/common';
import { DarajaHooksReceiver, RESULT_ACCEPTED } from '@malipo/payments';

/**
 * Where Daraja posts results, queue timeouts and C2B notifications. Unsigned, like STK callbacks:
 * the token in the path is the authentication (DESIGN "Callbacks"). Stored before answering.
 */
@ApiExcludeController()
@Public()
@SkipThrottle()
@Controller('v1/hooks')
export class DarajaHooksController {
  constructor(private readonly receiver: DarajaHooksReceiver) {}

  @Post('result/:token')
  @HttpCode(200)
  async result(@Param('token') token: string, @Req() req: RequestWithRawBody): Promise<unknown> {
    await this.receiver.receive({ kind: 'result', token, rawBody: req.rawBody, ip: req.ip });
    return RESULT_ACCEPTED;
  }

  @Post('timeout/:token')
  @HttpCode(200)
  async timeout(@Param('token') token: string, @Req() req: RequestWithRawBody): Promise<unknown> {
    await this.receiver.receive({ kind: 'queue_timeout', token, rawBody: req.rawBody, ip: req.ip });
    return RESULT_ACCEPTED;
  }

  @Post('c2b/confirmation/:token')
  @HttpCode(200)
  async confirmation(
    @Param('token') token: string,
    @Req() req: RequestWithRawBody,
  ): Promise<unknown> {
    await this.receiver.receive({
      kind: 'c2b_confirmation',
      token,
      rawBody: req.rawBody,
      ip: req.ip,
    });
    return { ResultCode: 0, ResultDesc: 'Success' };
  }

  @Post('c2b/validation/:token')
  @HttpCode(200)
  validation(@Param('token') token: string, @Req() req: RequestWithRawBody): Promise<unknown> {
    return this.receiver.validate(token, req.rawBody);
  }
}
