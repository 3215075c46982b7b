import type { UserRecord } from './user.model';

/*
 * What the user use cases need from outside, as interfaces: MongoDB (user.repository.ts), bcrypt
 * (password-hasher.ts) and the JWT signer (auth/token.service.ts) implement them.
 */

export type NewUser = Pick<UserRecord, 'email' | 'passwordHash' | 'firstName' | 'lastName' | 'phone' | 'role'>;
/** What a profile update may change in the user document; the password is changed by changePassword only. */
export type UserChanges = Partial<Pick<UserRecord, 'firstName' | 'lastName' | 'phone'>>;

export interface UserPage {
  users: UserRecord[];
  total: number;
}

export interface UserStore {
  /** The new user, or null when the email is taken (the unique index decides, not a read). */
  create(user: NewUser): Promise<UserRecord | null>;
  /** The user with their current password hash and token version. */
  findById(id: string): Promise<UserRecord | null>;
  findByEmail(email: string): Promise<UserRecord | null>;
  /** Changes the names and phone; null when no user matched. */
  update(id: string, set: UserChanges): Promise<UserRecord | null>;
  /**
   * Makes `passwordHash` the user's password and revokes every earlier token, if the
   * credentials are still at `fromVersion`; the new token version, or null when another change
   * took this version first.
   */
  changePassword(userId: string, fromVersion: number, passwordHash: string): Promise<number | null>;
  list(filter: { role?: UserRecord['role'] }, page: { skip: number; limit: number }): Promise<UserPage>;
}

export interface Passwords {
  hash(password: string): Promise<string>;
  /** Without a hash (no such account) it takes as long as with one, and is false. */
  verify(password: string, hash: string | undefined): Promise<boolean>;
}

/**
 * Issues a token. The auth area's TokenService is one; declared here so that users/ never
 * imports auth/ (auth/ builds on users/).
 */
export interface TokenIssuer {
  sign(user: UserRecord): { token: string; expiresAt: Date };
}
