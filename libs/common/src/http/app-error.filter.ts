import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, RateLimitedError } from '../errors/app-error';
import { HTTP_STATUS } from '../errors/error-status';
import { activeTraceId } from '../tracing/trace-id';

interface ErrorBody {
  code: string;
  message: string;
  requestId: string;
  /** The OpenTelemetry trace of this request, when tracing is on. */
  traceId?: string;
  details?: Record<string, unknown>;
}

/**
 * Fastify's own request errors (bad JSON, body too large, wrong content type, over-long URL).
 * Their messages are ours: Fastify's may quote the URL, and a callback URL carries its token.
 */
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
  FST_ERR_MAX_PARAM_LENGTH: { code: 'REQUEST.URL_TOO_LONG', message: 'A path segment is too long' },
  FST_ERR_BAD_URL: { code: 'REQUEST.BAD_URL', message: 'The URL is not valid' },
};
/** Any other 4xx Fastify raises while reading a request. */
const FASTIFY_OTHER = { code: 'REQUEST.INVALID', message: 'The request could not be read' };

function fastifyAnswer(
  error: unknown,
): { status: number; code: string; message: string } | undefined {
  const { code, statusCode } = (error ?? {}) as { code?: unknown; statusCode?: unknown };
  if (typeof code !== 'string' || !code.startsWith('FST_')) return undefined;
  const status = typeof statusCode === 'number' && statusCode >= 400 ? statusCode : 500;
  if (status >= 500) return undefined;
  return { status, ...(FASTIFY_CODES[code] ?? FASTIFY_OTHER) };
}

function isHealthReport(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'details' in body && 'status' in body;
}

function fromHttpException(e: HttpException): { status: number; code: string; message: string } {
  const status = e.getStatus();
  // Nest's router answers an unknown route with "Cannot GET /url": never echo a URL (tokens).
  if (e instanceof NotFoundException) {
    return { status, code: 'HTTP.NOT_FOUND', message: 'Not found' };
  }
  // Nest's own pipes (ParseUUIDPipe and the like) refuse input with a BadRequestException.
  if (status === 400) return { status, code: 'VALIDATION.FAILED', message: e.message };
  const name = e.constructor.name.replace(/Exception$/, '').replace(/([a-z])([A-Z])/g, '$1_$2');
  return { status, code: `HTTP.${name.toUpperCase()}`, message: e.message };
}

/**
 * The HTTP answer for any error: what the filter sends, and what Fastify's own handlers send.
 * A traced request's answer names its trace beside its request id.
 */
export function errorAnswer(
  error: unknown,
  requestId: string,
): { status: number; body: ErrorBody } {
  const answer = answerFor(error, requestId);
  const traceId = activeTraceId();
  if (traceId && answer.body.requestId === requestId) answer.body.traceId = traceId;
  return answer;
}

function answerFor(error: unknown, requestId: string): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    const status = HTTP_STATUS[error.kind];
    const body: ErrorBody = { code: error.code, message: error.message, requestId };
    if (Object.keys(error.details).length && status < 500) body.details = error.details;
    if (status >= 500 && error.kind === 'internal') body.message = 'Internal error';
    return { status, body };
  }
  const fastify = fastifyAnswer(error);
  if (fastify) {
    const { status, code, message } = fastify;
    return { status, body: { code, message, requestId } };
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
    const { status, body } = errorAnswer(error, String(request.id));
    if (status >= 500) this.logger.error({ err: error, requestId: request.id }, body.message);
    if (error instanceof RateLimitedError) {
      void reply.header('retry-after', String(error.retryAfterSeconds));
    }
    void reply.status(status).header('content-type', 'application/json').send(body);
  }
}
