import { ConflictError, UnauthorizedError } from '@shop/errors';
import type { TokenValidation, UserDto } from '@shop/contracts';
import { toUserDto, UserRecord } from '../users/user.model';
import { isDuplicateKeyError, UserRepository } from '../users/user.repository';
import { LoginInput, RegisterInput } from './auth.schemas';
import { PasswordHasher } from '../users/password-hasher';
import { TokenService } from './token.service';

export interface AuthResult {
  user: UserDto;
  token: string;
  expiresAt: string;
}

export class AuthService {
  constructor(
    private readonly users: UserRepository,
    private readonly passwords: PasswordHasher,
    private readonly tokens: TokenService,
  ) {}

  /** A new customer account, signed in. 409 USER_ALREADY_EXISTS when the email is taken. */
  async register(input: RegisterInput): Promise<AuthResult> {
    const passwordHash = await this.passwords.hash(input.password);
    let user: UserRecord;
    try {
      user = await this.users.create({
        email: input.email,
        passwordHash,
        firstName: input.firstName,
        lastName: input.lastName,
        phone: input.phone ?? null,
        role: 'customer',
      });
    } catch (err) {
      if (isDuplicateKeyError(err)) {
        throw new ConflictError('A user with this email already exists', { code: 'USER_ALREADY_EXISTS' });
      }
      throw err;
    }
    return this.signIn(user);
  }

  /** One answer for an unknown email and a wrong password, in about the same time. */
  async login(input: LoginInput): Promise<AuthResult> {
    const user = await this.users.findByEmail(input.email);
    const matches = await this.passwords.verify(input.password, user?.passwordHash);
    if (!user || !matches) {
      throw new UnauthorizedError('The email or password is incorrect', { code: 'INVALID_CREDENTIALS' });
    }
    return this.signIn(user);
  }

  /**
   * The user behind a bearer token: the signature and expiry are checked first (no database
   * work for a forged token), then one read by id, so a deleted user or a token revoked by a
   * password change is refused. The stored role, not the token's, is what callers get.
   */
  async authenticate(token: string): Promise<Required<TokenValidation>> {
    const claims = this.tokens.verify(token);
    const user = await this.users.findById(claims.sub);
    if (!user || user.tokenVersion !== claims.ver) {
      throw new UnauthorizedError('The token is no longer valid', { code: 'INVALID_TOKEN' });
    }
    return { user: toUserDto(user), expiresAt: new Date(claims.exp * 1000).toISOString() };
  }

  private signIn(user: UserRecord): AuthResult {
    const { token, expiresAt } = this.tokens.sign(user);
    return { user: toUserDto(user), token, expiresAt: expiresAt.toISOString() };
  }
}
