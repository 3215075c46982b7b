import { Param, ParseUUIDPipe } from '@nestjs/common';
import { ValidationError } from '@shop/errors';

/** A path parameter that must be a UUID: anything else is a 400 before the database is asked. */
export const UuidParam = (name: string) =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () =>
        new ValidationError(`The ${name} in the path must be a UUID`, {
          code: 'INVALID_ID',
          details: [{ path: `params.${name}`, message: 'must be a UUID' }],
        }),
    }),
  );
