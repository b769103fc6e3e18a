import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Inject,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, HTTP_STATUS } from '@malipo/common';
import { DarajaSim } from './daraja-sim';

/**
 * Off /sim, the simulator must look like Daraja even when it fails: unknown paths are
 * 404.001.01, wrong methods 405.001, everything else 500.003.1001, in Daraja's envelope.
 * Admin errors under /sim keep Malipo's `{ code, message }` shape.
 */
@Catch()
export class DarajaErrorFilter implements ExceptionFilter {
  constructor(@Inject(DarajaSim) private readonly sim: DarajaSim) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    const url = request.url ?? '';
    if (url.startsWith('/sim')) {
      const status =
        error instanceof AppError
          ? HTTP_STATUS[error.kind]
          : error instanceof HttpException
            ? error.getStatus()
            : 500;
      const message = error instanceof Error ? error.message : 'error';
      void reply
        .status(status)
        .send({ code: error instanceof AppError ? error.code : 'SIM.ERROR', message });
      return;
    }
    const status = error instanceof HttpException ? error.getStatus() : 500;
    if (status === 404) {
      const answer = this.sim.notFound(request.method, url.split('?')[0]);
      void reply.status(answer.status).send(answer.body);
      return;
    }
    const [code, message] =
      status === 405
        ? ['405.001', 'Method Not Allowed']
        : ['500.003.1001', 'Internal Server Error'];
    void reply
      .status(status === 405 ? 405 : 500)
      .send({ requestId: request.id, errorCode: code, errorMessage: message });
  }
}
