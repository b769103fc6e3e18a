import { Body, Controller, Get, Headers, Inject, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DarajaSim, type SimAnswer } from './daraja-sim';

function send(reply: FastifyReply, answer: SimAnswer): unknown {
  void reply.status(answer.status);
  return answer.body;
}

/** Daraja's own paths; every answer (errors included) uses Daraja's shapes and statuses. */
@Controller()
export class DarajaController {
  constructor(@Inject(DarajaSim) private readonly sim: DarajaSim) {}

  @Get('oauth/v1/generate')
  async oauth(
    @Query('grant_type') grantType: unknown,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    return send(reply, await this.sim.oauth(grantType, authorization));
  }

  @Post('mpesa/stkpush/v1/processrequest')
  async stkPush(
    @Body() body: unknown,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    return send(reply, await this.sim.stkPush(authorization, body));
  }

  /** Everything but OAuth is POST; Daraja answers other methods with 405.001 (REFERENCE §3.2). */
  @Get(['mpesa/stkpush/v1/processrequest', 'mpesa/stkpushquery/v1/query'])
  wrongMethod(@Res({ passthrough: true }) reply: FastifyReply): unknown {
    return send(reply, this.sim.methodNotAllowed());
  }

  @Post('mpesa/stkpushquery/v1/query')
  async stkQuery(
    @Body() body: unknown,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    return send(reply, await this.sim.stkQuery(authorization, body));
  }
}
