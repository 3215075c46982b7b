import type { TokenValidation } from '@shop/contracts';
import { toUserDto } from '../../users/user.model';
import type { UserStore } from '../../users/user.ports';
import { tokenNoLongerValid } from '../auth.errors';
import type { TokenClaims } from '../token.service';

/** Reads the claims of a token this service signed; refuses (401 INVALID_TOKEN) any other. */
export interface TokenVerifier {
  verify(token: string): TokenClaims;
}

/**
 * The user behind a bearer token, for this service's own routes and for the other services
 * (POST /api/users/internal/validate-token): the signature and expiry are checked first (no
 * database work for a forged token), then one read by id, so a deleted user or a token revoked
 * by a password change is refused. The stored role, not the token's, is what callers get.
 */
export class ValidateToken {
  constructor(private readonly deps: { store: UserStore; tokens: TokenVerifier }) {}

  async execute(token: string): Promise<Required<TokenValidation>> {
    const claims = this.deps.tokens.verify(token);
    const user = await this.deps.store.findById(claims.sub);
    if (!user || user.tokenVersion !== claims.ver) throw tokenNoLongerValid();
    return { user: toUserDto(user), expiresAt: new Date(claims.exp * 1000).toISOString() };
  }
}
