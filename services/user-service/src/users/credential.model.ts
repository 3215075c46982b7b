import { Connection, Model, Schema } from 'mongoose';

/**
 * One password a user has had since registration, stored apart from the user document and never
 * updated: `_id` is `<userId>:<version>`, so a password change is one insert that the unique `_id`
 * lets through once per version. The latest version is the user's password and token version;
 * a user without any still has the ones written at registration (version = the user document's
 * tokenVersion). Kept out of the user document because FerretDB applies an update as a
 * read-modify-write of the whole document without a lock: a profile update racing a password
 * change could write the old hash and token version back (docs/conventions.md).
 */
export interface CredentialRecord {
  _id: string;
  userId: string;
  version: number;
  passwordHash: string;
  createdAt: Date;
}

export type CredentialModel = Model<CredentialRecord>;

const credentialSchema = new Schema<CredentialRecord>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    version: { type: Number, required: true },
    passwordHash: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'user_credentials' },
);
// Every read is by user: an equality on an indexed top-level field, which FerretDB hands to PostgreSQL.
credentialSchema.index({ userId: 1 });

export function credentialId(userId: string, version: number): string {
  return `${userId}:${version}`;
}

/** The credentials model on this connection (registered once per connection). */
export function credentialModel(connection: Connection): CredentialModel {
  return (
    (connection.models.Credential as CredentialModel | undefined) ?? connection.model<CredentialRecord>('Credential', credentialSchema)
  );
}
