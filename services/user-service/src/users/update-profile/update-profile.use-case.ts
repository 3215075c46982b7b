import type { UserDto } from '@shop/contracts';
import { invalidCurrentPassword, passwordChangedConcurrently, userNotFound } from '../user.errors';
import { toUserDto, UserRecord } from '../user.model';
import type { Passwords, TokenIssuer, UserChanges, UserStore } from '../user.ports';
import type { UpdateProfileInput } from '../user.schemas';

export interface ProfileUpdateResult {
  user: UserDto;
  /** After a password change every earlier token is revoked: this one replaces the caller's. */
  token?: string;
  expiresAt?: string;
}

export interface UpdateProfileDeps {
  store: UserStore;
  passwords: Passwords;
  tokens: TokenIssuer;
}

/**
 * Changing one's own profile (PUT /api/users/profile): names and phone, and the password only
 * with the right current password. Email, role and id are not changeable: the request schema
 * has no such fields.
 *   1. check the current password, when the password is to change (before anything is written);
 *   2. write the names and phone;
 *   3. change the password (its own insert, see UserStore.changePassword) and sign a new token.
 * Should step 3 fail, the request can be sent again as it is: the current password is still the
 * one it names.
 */
export class UpdateProfile {
  constructor(private readonly deps: UpdateProfileDeps) {}

  async execute(userId: string, input: UpdateProfileInput): Promise<ProfileUpdateResult> {
    const current = input.password === undefined ? null : await this.checkCurrentPassword(userId, input.currentPassword ?? '');
    const updated = await this.changeDetails(userId, input);
    if (!current || input.password === undefined) return { user: toUserDto(updated) };
    return this.changePassword(updated, current.tokenVersion, input.password);
  }

  private async checkCurrentPassword(userId: string, currentPassword: string): Promise<UserRecord> {
    const current = await this.deps.store.findById(userId);
    if (!current) throw userNotFound();
    if (!(await this.deps.passwords.verify(currentPassword, current.passwordHash))) throw invalidCurrentPassword();
    return current;
  }

  private async changeDetails(userId: string, input: UpdateProfileInput): Promise<UserRecord> {
    const set: UserChanges = {};
    if (input.firstName !== undefined) set.firstName = input.firstName;
    if (input.lastName !== undefined) set.lastName = input.lastName;
    if (input.phone !== undefined) set.phone = input.phone;
    const updated = Object.keys(set).length > 0 ? await this.deps.store.update(userId, set) : await this.deps.store.findById(userId);
    if (!updated) throw userNotFound();
    return updated;
  }

  private async changePassword(user: UserRecord, fromVersion: number, password: string): Promise<ProfileUpdateResult> {
    const tokenVersion = await this.deps.store.changePassword(user._id.toString(), fromVersion, await this.deps.passwords.hash(password));
    if (tokenVersion === null) throw passwordChangedConcurrently();
    const changed = { ...user, tokenVersion };
    const { token, expiresAt } = this.deps.tokens.sign(changed);
    return { user: toUserDto(changed), token, expiresAt: expiresAt.toISOString() };
  }
}
