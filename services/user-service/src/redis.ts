import Redis from 'ioredis';
import { Logger } from '@shop/observability';

/**
 * The Redis that holds the rate-limit counters. Commands fail at once while it is unreachable
 * (no offline queue, one try, a short timeout), so a request falls back to the in-memory count
 * (auth/rate-limit-store.ts) instead of waiting for a reconnect; the client reconnects by itself.
 */
export function connectRedis(options: { host: string; port: number }, logger: Logger): Redis {
  const redis = new Redis({
    host: options.host,
    port: options.port,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: 1000,
  });
  let reported = false;
  redis.on('error', (err: Error) => {
    // Once per outage, not once per reconnect attempt.
    if (reported) return;
    reported = true;
    logger.warn({ err }, 'Redis is unreachable: the rate limits count per process until it is back');
  });
  redis.on('ready', () => {
    if (reported) logger.info('Redis is reachable again');
    reported = false;
  });
  return redis;
}
