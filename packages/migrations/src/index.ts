import { createHash } from 'node:crypto';
import type { DataSource, Migration } from 'typeorm';

/** A stable 64-bit advisory-lock key per service (any number works, as long as every instance agrees). */
function lockKey(name: string): string {
  return BigInt.asIntN(64, BigInt(`0x${createHash('sha256').update(`migrations:${name}`).digest('hex').slice(0, 16)}`)).toString();
}

/**
 * Connects if needed and applies pending migrations while holding a PostgreSQL advisory lock
 * named after the service. Replicas starting together take turns: the second waits, then finds
 * nothing left to do, instead of failing half-way through the first one's migration. All
 * pending migrations run in one transaction, so a failure leaves the schema as it was.
 */
export async function migrateExclusively(dataSource: DataSource, service: string): Promise<Migration[]> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  const key = lockKey(service);
  // Advisory locks belong to a session: lock and unlock on this one connection.
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [key]);
    return await dataSource.runMigrations({ transaction: 'all' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [key]).catch(() => undefined);
    await runner.release();
  }
}
