import { ValidationError as ClassValidatorError, ValidationPipe } from '@nestjs/common';
import { ErrorDetail, ValidationError } from '@shop/errors';

function flatten(errors: ClassValidatorError[], parent = 'body'): ErrorDetail[] {
  return errors.flatMap((e) => {
    const path = `${parent}.${e.property}`;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...flatten(e.children ?? [], path)];
  });
}

/**
 * DTO validation for every Nest route: unknown properties are errors (so `$gt` or `role` in a
 * body is a 400, not silently dropped), values are converted to the DTO's types.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => new ValidationError('The request is invalid', { details: flatten(errors) }),
  });
}
