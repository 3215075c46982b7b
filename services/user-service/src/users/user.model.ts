import { Connection, Model, Schema, Types } from 'mongoose';
import type { UserDto } from '@shop/contracts';
import { USER_ROLES, UserRole } from './user.schemas';

/** A user as stored. Only this service ever sees `passwordHash` and `tokenVersion`. */
export interface UserRecord {
  _id: Types.ObjectId;
  email: string;
  passwordHash: string;
  firstName: string;
  lastName: string;
  phone: string | null;
  role: UserRole;
  /** Part of every token; bumped on a password change, which revokes every token issued before. */
  tokenVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

export type UserModel = Model<UserRecord>;

/** The one way a user leaves this service: the contract's UserDto, without the hash. */
export function toUserDto(user: UserRecord): UserDto {
  return {
    id: user._id.toString(),
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    phone: user.phone ?? null,
    role: user.role,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}

const userSchema = new Schema<UserRecord>(
  {
    // Unique index: concurrent registrations of one email are decided by the database (E11000),
    // not by a read-then-write. Callers normalise the email; lowercase/trim here is a safety net.
    email: { type: String, required: true, unique: true, lowercase: true, trim: true },
    passwordHash: { type: String, required: true },
    firstName: { type: String, required: true, trim: true },
    lastName: { type: String, required: true, trim: true },
    phone: { type: String, default: null },
    role: { type: String, enum: USER_ROLES, default: 'customer' },
    tokenVersion: { type: Number, default: 0 },
  },
  {
    timestamps: true,
    // Not `select: false` on passwordHash: FerretDB refuses the projection mongoose would then
    // add to every findOneAndUpdate. A document that is serialised by accident (a log line, a
    // careless res.json) still shows only the DTO.
    toJSON: { transform: (_doc, ret) => toUserDto(ret as unknown as UserRecord) },
    versionKey: false,
  },
);
// The admin list pages newest first.
userSchema.index({ createdAt: -1 });

/** The User model on this connection (registered once per connection, so tests can run several apps). */
export function userModel(connection: Connection): UserModel {
  return (connection.models.User as UserModel | undefined) ?? connection.model<UserRecord>('User', userSchema);
}
