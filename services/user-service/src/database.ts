import mongoose, { Connection } from 'mongoose';
import { MONGO_CONNECTION_OPTIONS } from '@shop/config';
import { credentialModel } from './users/credential.model';
import { userModel } from './users/user.model';

/**
 * A connection of our own (not mongoose's global default), so several apps can live in one
 * process (tests). `sanitizeFilter` wraps any `$`-key object that reaches a query filter in
 * `$eq`: a second line behind the strict request schemas against operator injection. Commands
 * are not buffered while the database is away: they fail within serverSelectionTimeoutMS
 * (MONGO_CONNECTION_OPTIONS, shared with the Notification service) and
 * the client gets a 503 DATABASE_UNAVAILABLE (storageUnavailable in @shop/errors) instead of a request hanging.
 */
export async function connectMongo(uri: string, options: { serverSelectionTimeoutMS?: number } = {}): Promise<Connection> {
  const connection = mongoose.createConnection(uri, mongoConnectOptions(options));
  connection.set('sanitizeFilter', true);
  try {
    await connection.asPromise();
  } catch (err) {
    await connection.close().catch(() => undefined);
    throw err;
  }
  return connection;
}

/** What connectMongo opens the connection with (the MongoDB watchdog opens it again with the same). */
export function mongoConnectOptions(options: { serverSelectionTimeoutMS?: number } = {}) {
  return { autoIndex: false, bufferCommands: false, ...MONGO_CONNECTION_OPTIONS, ...options };
}

/** Creates the indexes, the unique email index above all: await it before taking requests. */
export async function ensureIndexes(connection: Connection): Promise<void> {
  await userModel(connection).createIndexes();
  await credentialModel(connection).createIndexes();
}
