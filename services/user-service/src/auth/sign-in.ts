import type { UserDto } from '@shop/contracts';
import { toUserDto, UserRecord } from '../users/user.model';
import type { TokenIssuer } from '../users/user.ports';

/** What registration and login answer with: the user, and a token ready to use. */
export interface AuthResult {
  user: UserDto;
  token: string;
  expiresAt: string;
}

export function signIn(tokens: TokenIssuer, user: UserRecord): AuthResult {
  const { token, expiresAt } = tokens.sign(user);
  return { user: toUserDto(user), token, expiresAt: expiresAt.toISOString() };
}
