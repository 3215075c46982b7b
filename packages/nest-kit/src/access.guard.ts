import { CanActivate, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Request } from 'express';
import { ForbiddenError, UnauthorizedError } from '@shop/errors';
import { AuthenticatedUser, bearerTokenFrom, INTERNAL_KEY_HEADER, isInternalKeyValid, isWellFormedBearerToken } from '@shop/internal-auth';

/**
 * Who may call a route:
 * - `internal`: another service, by X-Internal-Key;
 * - `admin`: an admin's bearer token;
 * - `internal-or-admin`: either of the two (catalogue writes);
 * - `user`: any signed-in user;
 * - `internal-or-user`: another service or any signed-in user (the handler decides what each may see).
 * Routes without @Access are public.
 */
export type AccessRule = 'internal' | 'admin' | 'internal-or-admin' | 'user' | 'internal-or-user';

const ACCESS_KEY = 'shop:access';
export const Access = (rule: AccessRule) => SetMetadata(ACCESS_KEY, rule);

export interface AccessGuardOptions {
  internalKeys: readonly string[];
  /** Resolves a bearer token to its user (through the User service); throws an AppError when refused. */
  verifyToken: (token: string) => Promise<AuthenticatedUser>;
}

export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly options: AccessGuardOptions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [context.getHandler(), context.getClass()]);
    if (!rule) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const key = request.headers[INTERNAL_KEY_HEADER];

    if (rule === 'internal' || rule === 'internal-or-admin' || rule === 'internal-or-user') {
      if (typeof key === 'string' && isInternalKeyValid(key, this.options.internalKeys)) {
        request.internal = true;
        return true;
      }
      if (rule === 'internal' || (key !== undefined && !bearerTokenFrom(request.headers.authorization))) {
        throw new UnauthorizedError(key ? 'The internal key is invalid' : 'This endpoint is internal: X-Internal-Key is required', {
          code: 'INVALID_INTERNAL_KEY',
        });
      }
    }

    const token = bearerTokenFrom(request.headers.authorization);
    if (!token) {
      const required = {
        user: 'A bearer token is required',
        admin: 'An admin token is required',
        'internal-or-user': 'An internal key or a bearer token is required',
        'internal-or-admin': 'An internal key or an admin token is required',
        internal: 'An internal key is required',
      }[rule];
      throw new UnauthorizedError(required, {
        code: 'TOKEN_REQUIRED',
      });
    }
    if (!isWellFormedBearerToken(token)) throw new UnauthorizedError('The token is invalid', { code: 'INVALID_TOKEN' });
    const user = await this.options.verifyToken(token);
    request.user = user;
    request.token = token;
    if ((rule === 'admin' || rule === 'internal-or-admin') && user.role !== 'admin') {
      throw new ForbiddenError('Only an admin may do this', { code: 'ADMIN_REQUIRED' });
    }
    return true;
  }
}

declare module 'express-serve-static-core' {
  interface Request {
    /** True when the caller proved to be one of our services (X-Internal-Key). */
    internal?: boolean;
  }
}

/** The authenticated user of the request (undefined for internal calls). */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  return context.switchToHttp().getRequest<Request>().user;
});
