import {
  type ArgumentMetadata,
  ValidationPipe,
  type ValidationError as CvError,
} from '@nestjs/common';
import { ValidationError } from '../errors/app-error';
import { findControlChars } from '../text/control-chars';

function firstFailure(errors: CvError[], parent = ''): { field: string; reason: string } {
  const e = errors[0];
  const field = parent ? `${parent}.${e.property}` : e.property;
  if (e.children?.length) return firstFailure(e.children, field);
  const reason = Object.values(e.constraints ?? {})[0] ?? 'is invalid';
  return { field, reason };
}

/**
 * Whitelisting validation whose failures are AppErrors naming the offending field. Before any
 * DTO rule, every string (and key) of a body, query or path parameter is checked for control
 * characters: PostgreSQL refuses NUL, and no field of this API has a use for the others.
 */
class AppValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const found = findControlChars(value, metadata.data ?? '');
      if (found) {
        throw new ValidationError(`${found} must not contain control characters`, {
          field: found,
        });
      }
    }
    return super.transform(value, metadata);
  }
}

export function appValidationPipe(): ValidationPipe {
  return new AppValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => {
      const { field, reason } = firstFailure(errors);
      return new ValidationError(reason, { field });
    },
  });
}
