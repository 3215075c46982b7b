import { Connection } from 'mongoose';
import { createTestMongoDatabase, TestMongoDatabase } from '@shop/test-kit';
import { connectMongo, ensureIndexes } from './database';

export interface TestDatabase {
  database: TestMongoDatabase;
  connection: Connection;
  /** Closes the connection, and drops the database unless another instance's was shared. */
  close(): Promise<void>;
}

/** A fresh user database of its own (real MongoDB, indexes made), or a connection to `shared`, another instance's. */
export async function createTestDatabase(shared?: TestMongoDatabase): Promise<TestDatabase> {
  const database = shared ?? createTestMongoDatabase('user_service_test');
  const connection = await connectMongo(database.uri);
  await ensureIndexes(connection);
  return {
    database,
    connection,
    async close() {
      await connection.close();
      if (!shared) await database.drop();
    },
  };
}
