'use strict';
const { setTimeout } = require('node:timers');
// How far the notifications lag behind the orders: the Order service's outbox (rows not yet
// delivered to the Notification service) and the Notification service's Bull queue on Redis
// (jobs not yet delivered by mail).
const { Client } = require('pg');
const Redis = require('ioredis');

class Backlog {
  constructor({ pg, redis, queue }) {
    this.pg = new Client({ ...pg, database: pg.orderDatabase });
    this.redis = new Redis({ ...redis, lazyConnect: true, maxRetriesPerRequest: 1 });
    this.prefix = `bull:${queue}`;
  }

  async connect() {
    await this.pg.connect();
    await this.redis.connect();
  }

  /** { outboxPending, outboxDue, queued } for outbox rows created since `since`. */
  async read(since) {
    const { rows } = await this.pg.query(
      `select count(*)::int as pending, count(*) filter (where next_attempt_at <= now())::int as due
         from outbox where status = 'pending' and created_at >= $1`,
      [since],
    );
    const [[, wait], [, active], [, delayed], [, paused]] = await this.redis
      .multi()
      .llen(`${this.prefix}:wait`)
      .llen(`${this.prefix}:active`)
      .zcard(`${this.prefix}:delayed`)
      .llen(`${this.prefix}:paused`)
      .exec();
    return { outboxPending: rows[0].pending, outboxDue: rows[0].due, queued: wait + active + delayed + paused };
  }

  /** Samples every `everyMs` until stop() is called; keeps the peaks. */
  watch(since, everyMs = 500) {
    const peak = { outboxPending: 0, queued: 0 };
    let stopped = false;
    const loop = (async () => {
      while (!stopped) {
        const now = await this.read(since);
        peak.outboxPending = Math.max(peak.outboxPending, now.outboxPending);
        peak.queued = Math.max(peak.queued, now.queued);
        await new Promise((resolve) => setTimeout(resolve, everyMs));
      }
    })();
    return {
      stop: async () => {
        stopped = true;
        await loop;
        return peak;
      },
    };
  }

  /**
   * Waits until no outbox row since `since` is pending and the queue is empty; { drained, seconds, left }.
   * `progress(left)`, when given, is told what is left every 15 s (for long waits, e.g. after seeding).
   */
  async drain(since, timeoutMs, progress) {
    const started = Date.now();
    let told = started;
    for (;;) {
      const now = await this.read(since);
      if (progress && Date.now() - told >= 15_000) {
        told = Date.now();
        progress(now);
      }
      if (now.outboxPending === 0 && now.queued === 0) return { drained: true, seconds: (Date.now() - started) / 1000, left: now };
      if (Date.now() - started > timeoutMs) return { drained: false, seconds: (Date.now() - started) / 1000, left: now };
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async close() {
    await this.pg.end().catch(() => {});
    this.redis.disconnect();
  }
}

module.exports = { Backlog };
