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
