import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { MongoClient } from 'mongodb';

/** The local servers that scripts/infra.sh starts (same defaults as the services). */
export const testPostgres = {
  host: process.env.DB_HOST ?? '127.0.0.1',
  port: Number(process.env.DB_PORT ?? 5432),
  user: process.env.DB_USERNAME ?? 'postgres',
  password: process.env.DB_PASSWORD ?? 'password',
};
export const testMongoBaseUri = process.env.TEST_MONGODB_URL ?? 'mongodb://127.0.0.1:27017';
export const testRedis = { host: process.env.REDIS_HOST ?? '127.0.0.1', port: Number(process.env.REDIS_PORT ?? 6379) };

/** A name no other test run uses: tests never share a database. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

export interface TestPostgresDatabase {
  name: string;
  host: string;
  port: number;
  user: string;
  password: string;
  /** Drops the database (and any connection still open on it). */
  drop(): Promise<void>;
}

/** Creates a fresh, empty PostgreSQL database on the real server. */
export async function createTestPostgresDatabase(prefix: string): Promise<TestPostgresDatabase> {
  const name = uniqueName(prefix);
  const admin = new Client({ ...testPostgres, database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    name,
    ...testPostgres,
    async drop() {
      const c = new Client({ ...testPostgres, database: 'postgres' });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export interface TestMongoDatabase {
  name: string;
  uri: string;
  drop(): Promise<void>;
}

/** A MongoDB database name of its own (created on first write) on the real MongoDB-wire server. */
export function createTestMongoDatabase(prefix: string): TestMongoDatabase {
  const name = uniqueName(prefix);
  const uri = `${testMongoBaseUri}/${name}`;
  return {
    name,
    uri,
    async drop() {
      const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
      try {
        await client.connect();
        await client.db(name).dropDatabase();
      } finally {
        await client.close();
      }
    },
  };
}
