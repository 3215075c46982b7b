import { NextFunction, Request, Response } from 'express';
import { ValidationError } from '@shop/errors';

/**
 * Deeper than any body or query of ours (the deepest, an order with its address, is 3 levels).
 * JSON.parse takes thousands of levels in a 100 kb body; every recursive step after it (a
 * validator, a driver's serialiser) might not, and a stack overflow is a 500.
 */
export const MAX_INPUT_DEPTH = 32;

export interface UnstorableInput {
  /** Where, e.g. `body.shippingAddress.line1`. */
  path: string;
  message: string;
}

/** With the `u` flag a pair is one code point: only a surrogate without its partner matches. */
const LONE_SURROGATE = /\p{Surrogate}/u;

function textProblem(text: string): string | undefined {
  if (text.includes('\0')) return 'must not contain NUL (\\u0000) characters';
  if (LONE_SURROGATE.test(text)) return 'must not contain an unpaired UTF-16 surrogate (\\ud800-\\udfff): it is not text';
  return undefined;
}

/**
 * The first thing in a parsed value (a body or a query) that no parser or store of ours takes:
 * nesting deeper than MAX_INPUT_DEPTH, a NUL or an unpaired surrogate in a string or a key
 * (PostgreSQL's text and jsonb, so FerretDB too, and BSON keys refuse them), a number beyond a
 * double (JSON.parse turns `1e400` into Infinity, which JSON cannot give back). Iterative, so
 * the walk itself cannot overflow the stack.
 */
export function findUnstorableInput(value: unknown, root: string): UnstorableInput | undefined {
  const pending: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: root, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { path, depth } = next;
    if (typeof next.value === 'string') {
      const message = textProblem(next.value);
      if (message) return { path, message };
      continue;
    }
    if (typeof next.value === 'number') {
      if (!Number.isFinite(next.value)) return { path, message: 'must be a finite number (a double: at most about 1.8e308)' };
      continue;
    }
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (depth >= MAX_INPUT_DEPTH) return { path, message: `must not be nested more than ${MAX_INPUT_DEPTH} levels deep` };
    const entries = Object.entries(next.value);
    // Pushed last to first, so the first problem in document order is the one reported.
    for (let i = entries.length - 1; i >= 0; i -= 1) {
      const [key, child] = entries[i];
      const childPath = `${path}.${key}`;
      const message = textProblem(key);
      if (message) return { path: childPath, message: `the key ${message}` };
      pending.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return undefined;
}

/**
 * Refuses, with a 400 naming the field, a query or JSON body that findUnstorableInput objects
 * to. Runs right after the body parser, before authentication and validation, in all four
 * services (nest-kit installs it too): such input would otherwise surface as a 500 from a stack
 * overflow or from deep inside a database driver.
 */
export function rejectUnstorableInput() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const problem = findUnstorableInput(req.query, 'query') ?? findUnstorableInput(req.body, 'body');
    if (!problem) return next();
    next(new ValidationError('The request is invalid', { details: [{ path: problem.path, message: problem.message }] }));
  };
}
