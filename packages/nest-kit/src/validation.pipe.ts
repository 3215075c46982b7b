import { ArgumentMetadata, ValidationError as ClassValidatorError, ValidationPipe } from '@nestjs/common';
import { ValidationError } from '@shop/errors';
import { ErrorDetail } from '@shop/contracts';

function flatten(errors: ClassValidatorError[], parent = 'body'): ErrorDetail[] {
  return errors.flatMap((e) => {
    const path = `${parent}.${e.property}`;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...flatten(e.children ?? [], path)];
  });
}

const LOCATION: Record<ArgumentMetadata['type'], string> = { body: 'body', query: 'query', param: 'params', custom: 'value' };

/** Names the part of the request a detail is about (`query.minPrice`, not `body.minPrice`). */
class LocatingValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Nest's pipe validates a missing body as `{}`, so a DTO of optional fields took a request
    // without one; the Express services refuse it, and the documents call the body required.
    if (metadata.type === 'body' && metadata.metatype && metadata.metatype !== Object && (value === undefined || value === null)) {
      throw new ValidationError('The request is invalid', { details: [{ path: 'body', message: 'a JSON object is required' }] });
    }
    try {
      return await super.transform(value, metadata);
    } catch (err) {
      const location = LOCATION[metadata.type];
      if (!(err instanceof ValidationError) || location === 'body' || !err.details) throw err;
      const details = err.details.map((d) => ({ ...d, path: d.path?.replace(/^body/, location) }));
      throw new ValidationError(err.message, { code: err.code, details });
    }
  }
}

/**
 * DTO validation for every Nest route: unknown properties are errors (so `$gt` or `role` in a
 * body is a 400, not silently dropped), values are converted to the DTO's types.
 */
export function createValidationPipe(): ValidationPipe {
  return new LocatingValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    exceptionFactory: (errors) => new ValidationError('The request is invalid', { details: flatten(errors) }),
  });
}
