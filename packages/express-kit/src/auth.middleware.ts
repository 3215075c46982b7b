import { NextFunction, Request, Response } from 'express';
import { ForbiddenError, UnauthorizedError } from '@shop/errors';
import { AuthenticatedUser, bearerTokenFrom, INTERNAL_KEY_HEADER, isInternalKeyValid, isWellFormedBearerToken } from '@shop/internal-auth';
// The request's `user` and `token` are typed by @shop/http-kit (request-user.ts), for both kits.
import '@shop/http-kit';

export function bearerToken(req: Request): string | undefined {
  return bearerTokenFrom(req.headers.authorization);
}

/** Rejects with 401 unless X-Internal-Key matches one of the accepted keys (constant-time). */
export function requireInternalKey(acceptedKeys: readonly string[]) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const provided = req.headers[INTERNAL_KEY_HEADER];
    if (isInternalKeyValid(typeof provided === 'string' ? provided : undefined, acceptedKeys)) return next();
    next(
      new UnauthorizedError(provided ? 'The internal key is invalid' : 'This endpoint is internal: X-Internal-Key is required', {
        code: 'INVALID_INTERNAL_KEY',
      }),
    );
  };
}

/**
 * Requires a bearer token and resolves it to a user with `verify` (a local JWT check in the User
 * service, a call to the User service elsewhere). `verify` throws an AppError when it refuses.
 */
export function requireUser(verify: (token: string) => Promise<AuthenticatedUser>) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const token = bearerToken(req);
    if (!token) return next(new UnauthorizedError('A bearer token is required', { code: 'TOKEN_REQUIRED' }));
    if (!isWellFormedBearerToken(token)) return next(new UnauthorizedError('The token is invalid', { code: 'INVALID_TOKEN' }));
    try {
      req.user = await verify(token);
      req.token = token;
      next();
    } catch (err) {
      next(err);
    }
  };
}

/** The caller as requireUser resolved it; for routes mounted behind requireUser only (401 otherwise). */
export function currentUser(req: Request): AuthenticatedUser {
  if (!req.user) throw new UnauthorizedError('A bearer token is required', { code: 'TOKEN_REQUIRED' });
  return req.user;
}

export function requireRole(role: AuthenticatedUser['role']) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (req.user?.role === role) return next();
    next(new ForbiddenError(`Only an ${role} may do this`, { code: 'FORBIDDEN' }));
  };
}
