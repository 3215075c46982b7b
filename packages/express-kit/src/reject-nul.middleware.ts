import { NextFunction, Request, Response } from 'express';
import { ValidationError } from '@shop/errors';

/** Where a NUL character sits in a parsed value (a key or a string), or undefined. */
function findNul(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\0') ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, child] of Object.entries(value)) {
    const childPath = `${path}.${key}`;
    if (key.includes('\0')) return childPath;
    const found = findNul(child, childPath);
    if (found) return found;
  }
  return undefined;
}

/**
 * Refuses NUL characters in the query and JSON body with a 400. No text we store may hold one:
 * PostgreSQL's text and jsonb (so FerretDB too) and BSON keys reject it, which would otherwise
 * surface as a 500 from deep inside a database driver.
 */
export function rejectNulCharacters() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const path = findNul(req.query, 'query') ?? findNul(req.body, 'body');
    if (!path) return next();
    next(new ValidationError('The request is invalid', { details: [{ path, message: 'must not contain NUL (\\u0000) characters' }] }));
  };
}
