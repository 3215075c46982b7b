import type { Passwords, TokenIssuer, UserStore } from '../../users/user.ports';
import { userAlreadyExists } from '../auth.errors';
import type { RegisterInput } from '../auth.schemas';
import { AuthResult, signIn } from '../sign-in';

/** A new customer account, signed in (POST /api/users/register); 409 USER_ALREADY_EXISTS when the email is taken. */
export class Register {
  constructor(private readonly deps: { store: UserStore; passwords: Passwords; tokens: TokenIssuer }) {}

  async execute(input: RegisterInput): Promise<AuthResult> {
    const user = await this.deps.store.create({
      email: input.email,
      passwordHash: await this.deps.passwords.hash(input.password),
      firstName: input.firstName,
      lastName: input.lastName,
      phone: input.phone ?? null,
      role: 'customer',
    });
    if (!user) throw userAlreadyExists();
    return signIn(this.deps.tokens, user);
  }
}
