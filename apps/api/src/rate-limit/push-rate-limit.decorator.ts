import { applyDecorators, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

export const PUSH_RATE_LIMIT = 'malipo:pushRateLimit';

/**
 * The route sends an STK push, so besides the per-key limit it also counts against
 * RATE_LIMIT_PAYMENTS_PER_MINUTE: pushes are what a runaway till costs Safaricom and the customer.
 */
export const PushRateLimit = (): MethodDecorator =>
  applyDecorators(
    SetMetadata(PUSH_RATE_LIMIT, true),
    ApiResponse({
      status: 429,
      description: 'HTTP.RATE_LIMITED: too many requests or pushes for this key; see Retry-After',
    }),
  );

export function sendsPush(context: ExecutionContext): boolean {
  return Reflect.getMetadata(PUSH_RATE_LIMIT, context.getHandler()) === true;
}
