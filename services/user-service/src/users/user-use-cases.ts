import { GetUser } from './get-user/get-user.use-case';
import { ListUsers } from './list-users/list-users.use-case';
import { SeedAdmin } from './seed-admin/seed-admin.use-case';
import { UpdateProfile } from './update-profile/update-profile.use-case';
import type { Passwords, TokenIssuer, UserStore } from './user.ports';

export interface UserUseCaseDeps {
  store: UserStore;
  passwords: Passwords;
  tokens: TokenIssuer;
}

/** The user use cases, built on one set of ports (the routes call them; main.ts seeds the admin with one). */
export function createUserUseCases(deps: UserUseCaseDeps) {
  return {
    getUser: new GetUser(deps),
    updateProfile: new UpdateProfile(deps),
    listUsers: new ListUsers(deps),
    seedAdmin: new SeedAdmin(deps),
  };
}

export type UserUseCases = ReturnType<typeof createUserUseCases>;
