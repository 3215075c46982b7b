import type { Passwords, TokenIssuer, UserStore } from '../../users/user.ports';
import { invalidCredentials } from '../auth.errors';
import type { LoginInput } from '../auth.schemas';
import { AuthResult, signIn } from '../sign-in';

/** Signing in with email and password (POST /api/users/login): one answer for an unknown email and a wrong password, in about the same time. */
export class Login {
  constructor(private readonly deps: { store: UserStore; passwords: Passwords; tokens: TokenIssuer }) {}

  async execute(input: LoginInput): Promise<AuthResult> {
    const user = await this.deps.store.findByEmail(input.email);
    const matches = await this.deps.passwords.verify(input.password, user?.passwordHash);
    if (!user || !matches) throw invalidCredentials();
    return signIn(this.deps.tokens, user);
  }
}
