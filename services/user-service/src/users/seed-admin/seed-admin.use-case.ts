import type { UserDto } from '@shop/contracts';
import { toUserDto } from '../user.model';
import type { Passwords, UserStore } from '../user.ports';

export interface AdminSeedResult {
  created: boolean;
  user: UserDto;
}

/**
 * The first admin, at start-up (main.ts): created unless a user with that email exists, who is
 * left as they are, even if not an admin. Safe to run at every start, by several instances at once.
 */
export class SeedAdmin {
  constructor(private readonly deps: { store: UserStore; passwords: Passwords }) {}

  async execute(email: string, password: string): Promise<AdminSeedResult> {
    const existing = await this.deps.store.findByEmail(email);
    if (existing) return { created: false, user: toUserDto(existing) };
    const admin = await this.deps.store.create({
      email,
      passwordHash: await this.deps.passwords.hash(password),
      firstName: 'Admin',
      lastName: 'Admin',
      phone: null,
      role: 'admin',
    });
    if (admin) return { created: true, user: toUserDto(admin) };
    // Another instance created it between our read and our write.
    const raced = await this.deps.store.findByEmail(email);
    if (!raced) throw new Error(`The admin ${email} was neither created nor found`);
    return { created: false, user: toUserDto(raced) };
  }
}
