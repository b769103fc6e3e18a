import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ValidationError } from '@malipo/common';
import type { FastifyRequest } from 'fastify';

const PRINTABLE = /^[\x20-\x7E]{1,255}$/;

/** The `Idempotency-Key` header: required, 1 to 255 printable characters. */
export const IdempotencyKey = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const header = ctx.switchToHttp().getRequest<FastifyRequest>().headers['idempotency-key'];
  const key = Array.isArray(header) ? header[0] : header;
  if (!key) {
    throw new ValidationError(
      'Idempotency-Key header is required',
      { field: 'Idempotency-Key' },
      'IDEMPOTENCY.KEY_REQUIRED',
    );
  }
  if (!PRINTABLE.test(key)) {
    throw new ValidationError(
      'Idempotency-Key must be 1 to 255 printable characters',
      { field: 'Idempotency-Key' },
      'IDEMPOTENCY.KEY_INVALID',
    );
  }
  return key;
});
