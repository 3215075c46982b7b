import Redis from 'ioredis';
import { testRedis } from './databases';

/** Deletes every key under `prefix` (one test's Bull queue): never the shared Redis as a whole. */
export async function deleteRedisKeys(prefix: string): Promise<number> {
  const redis = new Redis({ host: testRedis.host, port: testRedis.port, lazyConnect: true });
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) deleted += await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
  return deleted;
}
