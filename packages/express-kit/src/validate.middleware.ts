import { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { ValidationError } from '@shop/errors';

export interface RequestSchemas {
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
}

/** Turns zod issues into the envelope's `details`: where, and what is wrong there. */
export function zodDetails(error: z.ZodError, location: string) {
  return error.issues.map((issue) => ({
    path: [location, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

/**
 * Validates (and replaces with the parsed, typed value) the body, query and params of a
 * request. Schemas should be strict objects: unknown keys — such as `$gt` or `role` — are errors.
 */
export function validate(schemas: RequestSchemas) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const details = [];
    for (const location of ['params', 'query', 'body'] as const) {
      const schema = schemas[location];
      if (!schema) continue;
      const result = schema.safeParse(location === 'body' ? (req.body ?? {}) : req[location]);
      if (!result.success) {
        details.push(...zodDetails(result.error, location));
        continue;
      }
      // Express 5 exposes req.query through a getter; define the parsed value in its place.
      Object.defineProperty(req, location, { value: result.data, writable: true, configurable: true, enumerable: true });
    }
    if (details.length) {
      next(new ValidationError('The request is invalid', { details }));
      return;
    }
    next();
  };
}
