import { Body, Controller, Headers, Inject, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DarajaSim } from './daraja-sim';

/** Daraja's Pull Transactions query path (REFERENCE §7.3). */
@Controller()
export class SimPullController {
  constructor(@Inject(DarajaSim) private readonly sim: DarajaSim) {}

  @Post('pulltransactions/v1/query')
  async pull(
    @Body() body: unknown,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    const answer = await this.sim.pullTransactions(authorization, body);
    void reply.status(answer.status);
    return answer.body;
  }
}
