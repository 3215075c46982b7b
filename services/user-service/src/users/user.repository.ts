import { isMongoDuplicateKey } from '@shop/errors';
import { CredentialModel, credentialId, CredentialRecord } from './credential.model';
import { UserModel, UserRecord } from './user.model';
import type { NewUser, UserChanges, UserPage, UserStore } from './user.ports';

/** Data access for users: plain records in and out, no rules. Ids are validated by the callers' schemas. */
export class UserRepository implements UserStore {
  constructor(
    private readonly model: UserModel,
    private readonly credentials: CredentialModel,
  ) {}

  /** Null when the email is taken: the unique email index refused the insert. */
  async create(user: NewUser): Promise<UserRecord | null> {
    try {
      return (await this.model.create(user)).toObject();
    } catch (err) {
      if (isMongoDuplicateKey(err)) return null;
      throw err;
    }
  }

  /** The user with their current password hash and token version (see credential.model.ts). */
  async findById(id: string): Promise<UserRecord | null> {
    const [user, latest] = await Promise.all([this.model.findById(id).lean<UserRecord>().exec(), this.latestCredential(id)]);
    return user && withCredential(user, latest);
  }

  async findByEmail(email: string): Promise<UserRecord | null> {
    const user = await this.model.findOne({ email }).lean<UserRecord>().exec();
    return user && withCredential(user, await this.latestCredential(user._id.toString()));
  }

  /**
   * Changes the names and phone; null when no user matched. The password hash and token version
   * in this document are the ones of registration and are never written again, so an update
   * that FerretDB applies over a stale copy of the document cannot bring back an old password.
   */
  update(id: string, set: UserChanges): Promise<UserRecord | null> {
    return this.model
      .findOneAndUpdate({ _id: id }, { $set: set }, { returnDocument: 'after', runValidators: true })
      .lean<UserRecord>()
      .exec();
  }

  /**
   * Makes `passwordHash` the user's password and revokes every token issued so far, if the
   * user's credentials are still at `fromVersion` (the version whose password the caller
   * checked). One unique insert: of several changes from one version exactly one succeeds, on
   * MongoDB and FerretDB alike. Returns the new token version, or null when another change took
   * this version first.
   */
  async changePassword(userId: string, fromVersion: number, passwordHash: string): Promise<number | null> {
    const version = fromVersion + 1;
    try {
      await this.credentials.create({ _id: credentialId(userId, version), userId, version, passwordHash, createdAt: new Date() });
    } catch (err) {
      if (isMongoDuplicateKey(err)) return null;
      throw err;
    }
    return version;
  }

  private async latestCredential(userId: string): Promise<CredentialRecord | null> {
    // A handful per user (one per password change): sorted in memory on FerretDB, at no cost to speak of.
    return this.credentials.findOne({ userId }).sort({ version: -1 }).lean<CredentialRecord>().exec();
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

/** The user as stored, with the latest password change (if any) in place of registration's credentials. */
function withCredential(user: UserRecord, latest: CredentialRecord | null): UserRecord {
  return latest && latest.version > user.tokenVersion ? { ...user, passwordHash: latest.passwordHash, tokenVersion: latest.version } : user;
}
