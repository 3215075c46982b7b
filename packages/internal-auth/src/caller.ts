/**
 * Who is calling, in words every layer may use: the Express and Nest kits set it on the request,
 * and business code (services, rules) takes it as a plain value without knowing any framework.
 */
export interface AuthenticatedUser {
  id: string;
  email: string;
  role: 'customer' | 'admin';
  firstName?: string;
  lastName?: string;
  phone?: string | null;
}

/** The token of an `Authorization: Bearer <token>` header value; undefined for anything else. */
export function bearerTokenFrom(authorization: unknown): string | undefined {
  if (typeof authorization !== 'string') return undefined;
  const [scheme, token] = authorization.split(' ');
  return scheme?.toLowerCase() === 'bearer' && token ? token.trim() : undefined;
}

/** Far above any token we issue (a few hundred bytes): beyond it a token is refused unread. */
export const MAX_BEARER_TOKEN_LENGTH = 4096;
/** RFC 6750's b64token, what a bearer token is made of (a JWT is three base64url parts and dots). */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Whether a bearer token could be one at all. Every check of a token answers one that is not
 * with 401 INVALID_TOKEN, the same as for a forged one, and before any work or call: an
 * oversized token must not reach the User service's validate-token and come back as its 400.
 */
export function isWellFormedBearerToken(token: string): boolean {
  return token.length <= MAX_BEARER_TOKEN_LENGTH && B64TOKEN.test(token);
}
