import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { UnauthorizedError } from '@shop/errors';
import { isWellFormedBearerToken } from '@shop/internal-auth';
import { UserRecord } from '../users/user.model';
import { objectIdSchema, roleSchema } from '../users/user.schemas';

/** Pinned on sign and on verify: a token that names another algorithm (`none`, RS256...) is refused. */
const ALGORITHM = 'HS256';

export interface TokenServiceOptions {
  secret: string;
  expiresInSeconds: number;
  issuer: string;
}

export type TokenSubject = Pick<UserRecord, '_id' | 'email' | 'role' | 'tokenVersion'>;

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

/** What a verified token says. Signed by us, but still checked: a shape we never issue is refused. */
const claimsSchema = z.object({
  sub: objectIdSchema,
  email: z.string(),
  role: roleSchema,
  ver: z.number().int().min(0),
  exp: z.number().int(),
});
export type TokenClaims = z.infer<typeof claimsSchema>;

const invalidToken = (message = 'The token is invalid') => new UnauthorizedError(message, { code: 'INVALID_TOKEN' });

/** Signs and verifies this service's JWTs (claims: sub = user id, email, role, ver = token version). */
export class TokenService {
  constructor(private readonly options: TokenServiceOptions) {}

  sign(user: TokenSubject): IssuedToken {
    const token = jwt.sign({ email: user.email, role: user.role, ver: user.tokenVersion }, this.options.secret, {
      algorithm: ALGORITHM,
      expiresIn: this.options.expiresInSeconds,
      issuer: this.options.issuer,
      subject: user._id.toString(),
    });
    const { exp } = jwt.decode(token) as { exp: number };
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** The claims of a token we issued that has not expired; else 401 INVALID_TOKEN. */
  verify(token: string): TokenClaims {
    if (!isWellFormedBearerToken(token)) throw invalidToken();
    let payload: unknown;
    try {
      payload = jwt.verify(token, this.options.secret, { algorithms: [ALGORITHM], issuer: this.options.issuer });
    } catch (err) {
      throw err instanceof jwt.TokenExpiredError ? invalidToken('The token has expired') : invalidToken();
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw invalidToken();
    return claims.data;
  }
}
