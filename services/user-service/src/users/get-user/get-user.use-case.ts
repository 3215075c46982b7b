import type { UserDto } from '@shop/contracts';
import { userNotFound } from '../user.errors';
import { toUserDto } from '../user.model';
import type { UserStore } from '../user.ports';

/** A user as the API shows them: the caller's own profile, or a look-up by another service. */
export class GetUser {
  constructor(private readonly deps: { store: UserStore }) {}

  async execute(userId: string): Promise<UserDto> {
    const user = await this.deps.store.findById(userId);
    if (!user) throw userNotFound();
    return toUserDto(user);
  }
}
