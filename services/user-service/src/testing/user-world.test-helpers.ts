import { createAuthUseCases } from '../auth/auth-use-cases';
import type { TokenClaims } from '../auth/token.service';
import type { UserRecord } from '../users/user.model';
import type { Passwords } from '../users/user.ports';
import { createUserUseCases } from '../users/user-use-cases';
import { InMemoryUserStore } from './in-memory-user-store.test-helpers';

/** Hashes that show what they hash: a check is a comparison, and a spec can read the stored password. */
export const plainPasswords: Passwords = {
  hash: async (password) => `hashed:${password}`,
  verify: async (password, hash) => hash === `hashed:${password}`,
};

/** Tokens that carry their claims in the clear, and expire never. */
export const plainTokens = {
  sign: (user: UserRecord) => ({ token: `${user._id.toString()}.${user.tokenVersion}`, expiresAt: new Date('2026-01-02T12:00:00Z') }),
  verify: (token: string): TokenClaims => {
    const [sub, ver] = token.split('.');
    return { sub, email: '', role: 'customer', ver: Number(ver), exp: Date.parse('2026-01-02T12:00:00Z') / 1000 };
  },
};

/** The User service's use cases on in-memory ports. */
export function userWorld() {
  const store = new InMemoryUserStore();
  const deps = { store, passwords: plainPasswords, tokens: plainTokens };
  return { store, ...createAuthUseCases(deps), ...createUserUseCases(deps) };
}

export type UserWorld = ReturnType<typeof userWorld>;

export const ann = { firstName: 'Ann', lastName: 'Smith', email: 'ann@example.com', password: 'correct-horse-42' };
