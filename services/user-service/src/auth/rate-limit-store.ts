import type Redis from 'ioredis';
import { ClientRateLimitInfo, MemoryStore, Options, Store } from 'express-rate-limit';
import { type RedisReply, RedisStore } from 'rate-limit-redis';
import { ServiceUnavailableError } from '@shop/errors';
import { Logger } from '@shop/observability';

/** A SHA that names no script: EVALSHA answers NOSCRIPT, and the store loads its script again. */
const NO_SCRIPT_SHA = '0'.repeat(40);

/**
 * The limiters' counters, in Redis, so every instance of the service counts against one budget.
 * A failed command throws a 503 naming Redis; `fallbackStore` decides what a limiter does then.
 * A script that could not be loaded (Redis down at start or at a restart) is loaded again on the
 * next request.
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
        throw new ServiceUnavailableError('Redis', 'Redis is unavailable', { cause: err });
      }
    },
  });
}

export interface FallbackEvents {
  /** Called for each count taken in memory because Redis failed (the metric). */
  onFallback(): void;
  logger: Logger;
  /** The limiter's name, for the log lines. */
  limiter: string;
}

/**
 * The documented choice for a Redis outage: the limits fail open to this process's own memory.
 * Sign-in and registration keep working while Redis is away, still limited, but per instance
 * rather than shared (N instances allow up to N times the budget) and starting from zero: the
 * shared counts are not carried over. Failing closed instead would take every sign-in of the
 * shop down with the one store that only counts them. Each count taken in memory is counted in
 * `user_rate_limit_fallbacks_total{limiter}`; the outage is logged once when it starts and once
 * when Redis answers again. A decrement (a successful login un-counting itself) goes where it can:
 * one that lands in the other store than its increment costs at most one attempt of budget.
 */
export function fallbackStore(primary: Store, events: FallbackEvents): Store {
  const memory = new MemoryStore();
  let failing = false;
  const failed = (err: unknown) => {
    events.onFallback();
    if (failing) return;
    failing = true;
    events.logger.warn(
      { err, limiter: events.limiter },
      'Redis is unreachable: this rate limit counts in this process only until it is back',
    );
  };
  const recovered = () => {
    if (!failing) return;
    failing = false;
    events.logger.info({ limiter: events.limiter }, 'Redis is reachable again: this rate limit is shared again');
  };
  return {
    localKeys: false,
    prefix: primary.prefix,
    init(options: Options) {
      primary.init?.(options);
      memory.init(options);
    },
    async increment(key: string): Promise<ClientRateLimitInfo> {
      try {
        const counted = await primary.increment(key);
        recovered();
        return counted;
      } catch (err) {
        failed(err);
        return memory.increment(key);
      }
    },
    async decrement(key: string): Promise<void> {
      try {
        await primary.decrement(key);
      } catch {
        await memory.decrement(key);
      }
    },
    async resetKey(key: string): Promise<void> {
      await memory.resetKey(key);
      try {
        await primary.resetKey(key);
      } catch {
        // Redis is away: its count expires with its window.
      }
    },
    shutdown: () => memory.shutdown(),
  };
}
