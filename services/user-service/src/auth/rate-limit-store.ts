import type Redis from 'ioredis';
import { type RedisReply, RedisStore } from 'rate-limit-redis';
import { ServiceUnavailableError } from '@shop/errors';

/** A SHA that names no script: EVALSHA answers NOSCRIPT, and the store loads its script again. */
const NO_SCRIPT_SHA = '0'.repeat(40);

/**
 * The limiters' counters, in Redis, so every instance of the service counts against one budget.
 *
 * While Redis is unreachable the auth routes answer 503 naming Redis (fail closed): failing open
 * would lift the brute-force limit exactly when the counters cannot be kept. A script that could
 * not be loaded (Redis down at start or at a restart) is loaded again on the next request.
 */
export function redisRateLimitStore(redis: Redis, prefix: string): RedisStore {
  return new RedisStore({
    prefix,
    sendCommand: async (command: string, ...args: string[]) => {
      try {
        return (await redis.call(command, ...args)) as RedisReply;
      } catch (err) {
        if (command === 'SCRIPT') return NO_SCRIPT_SHA;
        if (err instanceof Error && /^NOSCRIPT/.test(err.message)) throw err;
        throw new ServiceUnavailableError('Redis', 'Redis is unavailable: sign-in and registration are paused until it is back', {
          cause: err,
        });
      }
    },
  });
}
