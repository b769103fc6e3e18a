import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiResponse } from '@nestjs/swagger';
import { TENANT_HEADER } from '../auth/principal';

const ERROR_BODY = {
  type: 'object',
  properties: {
    code: { type: 'string' },
    message: { type: 'string' },
    requestId: { type: 'string' },
    details: { type: 'object' },
  },
};

/** Bearer auth plus the error answers every admin route can give. */
export function AdminRoute(): ClassDecorator & MethodDecorator {
  return applyDecorators(
    ApiBearerAuth(),
    ApiResponse({
      status: 400,
      description: 'VALIDATION.FAILED (details.field names the input), TENANT.REQUIRED',
      schema: ERROR_BODY,
    }),
    ApiResponse({ status: 401, description: 'AUTH.UNAUTHENTICATED', schema: ERROR_BODY }),
    ApiResponse({ status: 403, description: 'AUTH.FORBIDDEN', schema: ERROR_BODY }),
  );
}

/** Ops keys name the tenant they act on; owner keys act on their own tenant. */
export function TenantHeader(required = true): ClassDecorator & MethodDecorator {
  return ApiHeader({
    name: TENANT_HEADER,
    required: false,
    description: required
      ? 'Ops keys only: the tenant to act on (required for ops)'
      : 'Ops keys only: the tenant to act on; without it, ops keys are listed/managed',
  });
}

export const NOT_FOUND = { status: 404, description: '*.NOT_FOUND', schema: ERROR_BODY };
