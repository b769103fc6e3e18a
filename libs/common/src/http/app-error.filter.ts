import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, RateLimitedError } from '../errors/app-error';
import { HTTP_STATUS } from '../errors/error-status';

interface ErrorBody {
  code: string;
  message: string;
  requestId: string;
  details?: Record<string, unknown>;
}

/** Fastify's own request errors (bad JSON, body too large, wrong content type). */
const FASTIFY_CODES: Record<string, { code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'REQUEST.TOO_LARGE', message: 'Request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
    message: 'Content-Type must be application/json',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'REQUEST.MALFORMED_JSON', message: 'Body is empty' },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: 'REQUEST.MALFORMED_JSON',
    message: 'Body is not valid JSON',
  },
};

function isHealthReport(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'details' in body && 'status' in body;
}

function fromHttpException(e: HttpException): { status: number; code: string; message: string } {
  const status = e.getStatus();
  const fastify = FASTIFY_CODES[(e.cause as { code?: string } | undefined)?.code ?? ''];
  if (fastify) return { status, ...fastify };
  const name = e.constructor.name.replace(/Exception$/, '').replace(/([a-z])([A-Z])/g, '$1_$2');
  return { status, code: `HTTP.${name.toUpperCase()}`, message: e.message };
}

/**
 * The one place errors become HTTP answers: `{ code, message, requestId }`. Unknown errors are
 * logged with their stack and answered 500 with a generic message.
 */
@Catch()
export class AppErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('AppErrorFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    const { status, body } = this.describe(error, String(request.id));
    if (status >= 500) this.logger.error({ err: error, requestId: request.id }, body.message);
    if (error instanceof RateLimitedError) {
      void reply.header('retry-after', String(error.retryAfterSeconds));
    }
    void reply.status(status).header('content-type', 'application/json').send(body);
  }

  private describe(error: unknown, requestId: string): { status: number; body: ErrorBody } {
    if (error instanceof AppError) {
      const status = HTTP_STATUS[error.kind];
      const body: ErrorBody = { code: error.code, message: error.message, requestId };
      if (Object.keys(error.details).length && status < 500) body.details = error.details;
      if (status >= 500 && error.kind === 'internal') body.message = 'Internal error';
      return { status, body };
    }
    const fastifyCode = (error as { code?: string; statusCode?: number } | undefined)?.code;
    if (fastifyCode && FASTIFY_CODES[fastifyCode]) {
      const status = (error as { statusCode?: number }).statusCode ?? 400;
      return { status, body: { ...FASTIFY_CODES[fastifyCode], requestId } };
    }
    if (error instanceof HttpException && isHealthReport(error.getResponse())) {
      // Terminus reports which dependency is down; that body is the health API's contract.
      return { status: error.getStatus(), body: error.getResponse() as ErrorBody };
    }
    if (error instanceof HttpException) {
      const { status, code, message } = fromHttpException(error);
      return {
        status,
        body: { code, message: status >= 500 ? 'Internal error' : message, requestId },
      };
    }
    return { status: 500, body: { code: 'INTERNAL', message: 'Internal error', requestId } };
  }
}
