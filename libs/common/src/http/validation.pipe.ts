import { ValidationPipe, type ValidationError as CvError } from '@nestjs/common';
import { ValidationError } from '../errors/app-error';

function firstFailure(errors: CvError[], parent = ''): { field: string; reason: string } {
  const e = errors[0];
  const field = parent ? `${parent}.${e.property}` : e.property;
  if (e.children?.length) return firstFailure(e.children, field);
  const reason = Object.values(e.constraints ?? {})[0] ?? 'is invalid';
  return { field, reason };
}

/** Whitelisting validation whose failures are AppErrors naming the offending field. */
export function appValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
