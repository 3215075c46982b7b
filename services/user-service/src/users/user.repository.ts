import { UpdateQuery } from 'mongoose';
import { UserModel, UserRecord } from './user.model';

export type NewUser = Pick<UserRecord, 'email' | 'passwordHash' | 'firstName' | 'lastName' | 'phone' | 'role'>;
export type UserChanges = Partial<Pick<UserRecord, 'firstName' | 'lastName' | 'phone' | 'passwordHash'>>;

export interface UserUpdate {
  set: UserChanges;
  /** Revokes every token issued so far. */
  incrementTokenVersion?: boolean;
  /** Apply only while the stored hash is still this one (guards a password change against a concurrent one). */
  ifPasswordHash?: string;
}

export interface UserPage {
  users: UserRecord[];
  total: number;
}

/** True for MongoDB's duplicate key error (a unique index refused the write). */
export function isDuplicateKeyError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

/** Data access for users: plain records in and out, no rules. Ids are validated by the callers' schemas. */
export class UserRepository {
  constructor(private readonly model: UserModel) {}

  /** Throws a duplicate key error (see isDuplicateKeyError) when the email is taken. */
  async create(user: NewUser): Promise<UserRecord> {
    const created = await this.model.create(user);
    return created.toObject();
  }

  findById(id: string): Promise<UserRecord | null> {
    return this.model.findById(id).lean<UserRecord>().exec();
  }

  findByEmail(email: string): Promise<UserRecord | null> {
    return this.model.findOne({ email }).lean<UserRecord>().exec();
  }

  /**
   * One conditional update; null when no user matched (gone, or `ifPasswordHash` no longer holds).
   * Atomic on MongoDB. FerretDB 1.24 does not make a conditional update atomic under concurrency
   * (docs/conventions.md): there, two password changes racing with the same current password can
   * both succeed (the last one wins). Nothing that must happen once relies on this update.
   */
  update(id: string, update: UserUpdate): Promise<UserRecord | null> {
    const filter = update.ifPasswordHash === undefined ? { _id: id } : { _id: id, passwordHash: update.ifPasswordHash };
    const changes: UpdateQuery<UserRecord> = { $set: update.set };
    if (update.incrementTokenVersion) changes.$inc = { tokenVersion: 1 };
    return this.model.findOneAndUpdate(filter, changes, { returnDocument: 'after', runValidators: true }).lean<UserRecord>().exec();
  }

  async list(filter: { role?: UserRecord['role'] }, page: { skip: number; limit: number }): Promise<UserPage> {
    const query = filter.role === undefined ? {} : { role: filter.role };
    const [users, total] = await Promise.all([
      this.model.find(query).sort({ createdAt: -1, _id: -1 }).skip(page.skip).limit(page.limit).lean<UserRecord[]>().exec(),
      this.model.countDocuments(query).exec(),
    ]);
    return { users, total };
  }
}
