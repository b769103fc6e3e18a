import { Body, Controller, Headers, Inject, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DarajaSim, type SimAnswer } from './daraja-sim';

/** Daraja's result-based paths and C2B Register URL (REFERENCE §7). */
@Controller()
export class SimResultsController {
  constructor(@Inject(DarajaSim) private readonly sim: DarajaSim) {}

  @Post('mpesa/transactionstatus/v1/query')
  async transactionStatus(
    @Body() body: unknown,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    await this.sim.answerLatency();
    const answer = this.sim.results.transactionStatus(authorization, body);
    return this.send(reply, '/mpesa/transactionstatus/v1/query', answer, body);
  }

  @Post('mpesa/reversal/v1/request')
  async reversal(
    @Body() body: unknown,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    await this.sim.answerLatency();
    const answer = this.sim.results.reversal(authorization, body);
    return this.send(reply, '/mpesa/reversal/v1/request', answer, body);
  }

  @Post('mpesa/accountbalance/v1/query')
  async accountBalance(
    @Body() body: unknown,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    await this.sim.answerLatency();
    const answer = this.sim.results.accountBalance(authorization, body);
    return this.send(reply, '/mpesa/accountbalance/v1/query', answer, body);
  }

  @Post(['mpesa/c2b/v1/registerurl', 'mpesa/c2b/v2/registerurl'])
  async registerUrl(
    @Body() body: unknown,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    await this.sim.answerLatency();
    const answer = this.sim.c2b.register(authorization, body);
    return this.send(reply, '/mpesa/c2b/v1/registerurl', answer, body);
  }

  private send(reply: FastifyReply, path: string, answer: SimAnswer, body: unknown): unknown {
    this.sim.recordRequest(path, answer, body);
    void reply.status(answer.status);
    return answer.body;
  }
}
