import { NextFunction, Request, RequestHandler, Response } from 'express';
import { ForbiddenError, toAppError, UnauthorizedError } from '@shop/errors';
import { sendError } from '@shop/http-kit';
import { AuthenticatedUser, bearerTokenFrom, INTERNAL_KEY_HEADER, isInternalKeyValid } from '@shop/internal-auth';
import { getRequestId } from '@shop/observability';

export interface OperatorAuthOptions {
  internalKeys: readonly string[];
  verifyToken: (token: string) => Promise<AuthenticatedUser>;
  /** Names the protected area in the browser's login prompt. */
  realm: string;
}

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The password of an `Authorization: Basic` header (the user name is not checked). */
function basicPassword(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string' || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : decoded.slice(colon + 1);
}

/**
 * A browser sends Basic credentials with any request to this origin, including ones another site
 * triggers. Changes (retry, clean, add a job) must therefore come from this origin itself.
 */
function isCrossSite(req: Request): boolean {
  const fetchSite = req.headers['sec-fetch-site'];
  if (typeof fetchSite === 'string' && fetchSite !== 'same-origin' && fetchSite !== 'none') return true;
  const origin = req.headers.origin;
  if (typeof origin !== 'string') return false;
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}

/**
 * Lets operators in: another service's X-Internal-Key, an admin's bearer token, or HTTP Basic
 * auth with any user name and the internal key as password (so a browser can open the page).
 */
export function operatorAuth(options: OperatorAuthOptions): RequestHandler {
  const challenge = { 'WWW-Authenticate': `Basic realm="${options.realm}"` };
  const authenticate = async (req: Request): Promise<void> => {
    const key = req.headers[INTERNAL_KEY_HEADER];
    if (typeof key === 'string' && isInternalKeyValid(key, options.internalKeys)) return;
    const password = basicPassword(req);
    if (password !== undefined) {
      if (!isInternalKeyValid(password, options.internalKeys)) {
        throw new UnauthorizedError('The password is not the internal key', { code: 'INVALID_CREDENTIALS', headers: challenge });
      }
      if (!SAFE_METHODS.has(req.method) && isCrossSite(req)) {
        throw new ForbiddenError('Queue changes must come from the dashboard itself', { code: 'CROSS_SITE_REQUEST' });
      }
      return;
    }
    const token = bearerTokenFrom(req.headers.authorization);
    if (token) {
      const user = await options.verifyToken(token);
      if (user.role !== 'admin') throw new ForbiddenError('Only an admin may open the queue dashboard', { code: 'ADMIN_REQUIRED' });
      return;
    }
    throw new UnauthorizedError(
      'The queue dashboard needs the internal key (X-Internal-Key, or as the Basic auth password) or an admin token',
      {
        code: 'OPERATOR_AUTH_REQUIRED',
        headers: challenge,
      },
    );
  };
  return (req: Request, res: Response, next: NextFunction): void => {
    authenticate(req).then(
      () => next(),
      // Mounted outside Nest's router, so Nest's exception filter never sees these errors.
      (err: unknown) => sendError(res, toAppError(err), getRequestId()),
    );
  };
}
