import { Types } from 'mongoose';
import type { UserRecord } from '../users/user.model';
import type { NewUser, UserChanges, UserPage, UserStore } from '../users/user.ports';

/** The user store in memory, with the two unique inserts of the real one: the email, and a password change per version. */
export class InMemoryUserStore implements UserStore {
  readonly users = new Map<string, UserRecord>();
  private readonly changes = new Set<string>();
  private clock = Date.parse('2026-01-01T12:00:00Z');

  async create(user: NewUser): Promise<UserRecord | null> {
    if ((await this.findByEmail(user.email)) !== null) return null;
    const now = new Date((this.clock += 1_000));
    const record: UserRecord = { ...user, _id: new Types.ObjectId(), tokenVersion: 0, createdAt: now, updatedAt: now };
    this.users.set(record._id.toString(), record);
    return { ...record };
  }

  async findById(id: string): Promise<UserRecord | null> {
    const user = this.users.get(id);
    return user ? { ...user } : null;
  }

  async findByEmail(email: string): Promise<UserRecord | null> {
    const user = [...this.users.values()].find((u) => u.email === email);
    return user ? { ...user } : null;
  }

  async update(id: string, set: UserChanges): Promise<UserRecord | null> {
    const user = this.users.get(id);
    if (!user) return null;
    Object.assign(user, set, { updatedAt: new Date((this.clock += 1_000)) });
    return { ...user };
  }

  async changePassword(userId: string, fromVersion: number, passwordHash: string): Promise<number | null> {
    const user = this.users.get(userId);
    const key = `${userId}:${fromVersion + 1}`;
    if (!user || this.changes.has(key)) return null;
    this.changes.add(key);
    Object.assign(user, { passwordHash, tokenVersion: fromVersion + 1 });
    return fromVersion + 1;
  }

  async list(filter: { role?: UserRecord['role'] }, page: { skip: number; limit: number }): Promise<UserPage> {
    const matching = [...this.users.values()]
      .filter((u) => filter.role === undefined || u.role === filter.role)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    return { users: matching.slice(page.skip, page.skip + page.limit), total: matching.length };
  }
}
