import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { errorAnswer } from '../http/app-error.filter';

/**
 * Nest turns every FastifyError into a bare `HttpException(message, status)` before any filter
 * sees it, so "body is not JSON" and "body too large" lost their codes (HTTP.HTTP). This adapter
 * hands them on as plain errors that keep `code` and `statusCode`; the filter maps them.
 */
export class CodedFastifyAdapter extends FastifyAdapter {
  override setErrorHandler(handler: Parameters<FastifyAdapter['setErrorHandler']>[0]) {
    type Handler = (error: Error, request: FastifyRequest, reply: FastifyReply) => unknown;
    const next = handler as unknown as Handler;
    return super.setErrorHandler(((error: Error, request: FastifyRequest, reply: FastifyReply) =>
      next(keepCode(error), request, reply)) as unknown as typeof handler);
  }
}

function keepCode(error: Error): Error {
  if (error.name !== 'FastifyError') return error;
  const { code, statusCode } = error as FastifyError;
  return Object.assign(new Error(error.message), { name: 'RequestError', code, statusCode });
}

/** Errors Fastify answers before routing (bad or over-long URL): our shape, not Fastify's. */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const { status, body } = errorAnswer(error, String(request.id));
  void reply.status(status).header('content-type', 'application/json').send(body);
}

const CLIENT_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: 'REQUEST.HEADERS_TOO_LARGE',
    message: 'The request line or headers are too large',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'REQUEST.TIMEOUT', message: 'Request timed out' },
};

/**
 * Errors Node's HTTP parser raises before Fastify has a request (a URL or token of 20 kB, broken
 * framing): the same `{ code, message, requestId }` body, written on the socket.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known = CLIENT_ERRORS[error.code ?? ''] ?? {
    status: 400,
    code: 'REQUEST.INVALID',
    message: 'The request could not be read',
  };
  const body = JSON.stringify({
    code: known.code,
    message: known.message,
    requestId: randomUUID(),
  });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${known.status} Error\r\nConnection: close\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
