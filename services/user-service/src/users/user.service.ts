import { ConflictError, ForbiddenError, NotFoundError, pageOffset, Pagination, paginationOf } from '@shop/errors';
import type { UserDto } from '@shop/contracts';
import { PasswordHasher } from './password-hasher';
import { toUserDto, UserRecord } from './user.model';
import { isDuplicateKeyError, UserChanges, UserRepository } from './user.repository';
import { ListUsersQuery, UpdateProfileInput } from './user.schemas';

export interface ProfileUpdateResult {
  user: UserDto;
  /** After a password change every earlier token is revoked: this one replaces the caller's. */
  token?: string;
  expiresAt?: string;
}

export interface UserList {
  users: UserDto[];
  pagination: Pagination;
}

export interface AdminSeedResult {
  created: boolean;
  user: UserDto;
}

/**
 * Issues a fresh token after a password change revoked the old ones. The auth area's
 * TokenService is one; declared here so that users/ never imports auth/ (auth/ builds on users/).
 */
export interface TokenIssuer {
  sign(user: UserRecord): { token: string; expiresAt: Date };
}

const userNotFound = () => new NotFoundError('User not found', { code: 'USER_NOT_FOUND' });

export class UserService {
  constructor(
    private readonly users: UserRepository,
    private readonly passwords: PasswordHasher,
    private readonly tokens: TokenIssuer,
  ) {}

  async getUser(id: string): Promise<UserDto> {
    const user = await this.users.findById(id);
    if (!user) throw userNotFound();
    return toUserDto(user);
  }

  /**
   * Changes names and phone; the password only with the right current password (403
   * INVALID_CURRENT_PASSWORD otherwise). Email, role and id are not changeable here: the
   * request schema has no such fields. Names are written first, then the password (its own
   * insert, see UserRepository.changePassword): should the second write fail, the request can be
   * sent again as it is, since the current password is still the one it names.
   */
  async updateProfile(id: string, input: UpdateProfileInput): Promise<ProfileUpdateResult> {
    const set: UserChanges = {};
    if (input.firstName !== undefined) set.firstName = input.firstName;
    if (input.lastName !== undefined) set.lastName = input.lastName;
    if (input.phone !== undefined) set.phone = input.phone;

    let current: UserRecord | null = null;
    if (input.password !== undefined) {
      current = await this.users.findById(id);
      if (!current) throw userNotFound();
      if (!(await this.passwords.verify(input.currentPassword ?? '', current.passwordHash))) {
        throw new ForbiddenError('The current password is incorrect', { code: 'INVALID_CURRENT_PASSWORD' });
      }
    }

    let updated = Object.keys(set).length > 0 ? await this.users.update(id, set) : await this.users.findById(id);
    if (!updated) throw userNotFound();
    if (!current || input.password === undefined) return { user: toUserDto(updated) };

    const tokenVersion = await this.users.changePassword(id, current.tokenVersion, await this.passwords.hash(input.password));
    if (tokenVersion === null) {
      throw new ConflictError('The password was changed by another request at the same time; sign in again', {
        code: 'PASSWORD_CHANGED_CONCURRENTLY',
      });
    }
    updated = { ...updated, tokenVersion };
    const { token, expiresAt } = this.tokens.sign(updated);
    return { user: toUserDto(updated), token, expiresAt: expiresAt.toISOString() };
  }

  async list(query: ListUsersQuery): Promise<UserList> {
    const { users, total } = await this.users.list({ role: query.role }, { skip: pageOffset(query), limit: query.limit });
    return { users: users.map(toUserDto), pagination: paginationOf(query, total) };
  }

  /**
   * Creates the first admin unless a user with that email exists (which is left as it is, even
   * if it is not an admin). Safe to run at every start, by several instances at once.
   */
  async ensureAdmin(email: string, password: string): Promise<AdminSeedResult> {
    const existing = await this.users.findByEmail(email);
    if (existing) return { created: false, user: toUserDto(existing) };
    const passwordHash = await this.passwords.hash(password);
    let admin: UserRecord | null;
    try {
      admin = await this.users.create({ email, passwordHash, firstName: 'Admin', lastName: 'Admin', phone: null, role: 'admin' });
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      // Another instance created it between our read and our write.
      admin = await this.users.findByEmail(email);
      if (!admin) throw err;
      return { created: false, user: toUserDto(admin) };
    }
    return { created: true, user: toUserDto(admin) };
  }
}
