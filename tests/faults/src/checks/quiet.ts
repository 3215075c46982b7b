import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultStack } from '../harness/fault-stack';
import { LIVE_STATUSES } from './invariants';

/** What is still in between: work the sweepers, relays and queues have not finished. */
export interface InFlight {
  ordersInBetween: number;
  reservationsHeld: number;
  outboxPending: number;
  notificationsQueued: number;
}

const FINAL_STATUSES = [...LIVE_STATUSES, 'cancelled'];

async function count(stack: FaultStack, database: 'order' | 'product', sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await stack.db[database].query<{ n: string }>(sql, params);
  return Number(rows[0]?.n ?? 0);
}

export async function inFlight(stack: FaultStack): Promise<InFlight> {
  return {
    ordersInBetween: await count(stack, 'order', `SELECT count(*) AS n FROM orders WHERE status <> ALL($1)`, [FINAL_STATUSES]),
    reservationsHeld: await count(stack, 'product', `SELECT count(*) AS n FROM reservations WHERE status = 'reserved'`),
    outboxPending: await count(stack, 'order', `SELECT count(*) AS n FROM outbox WHERE status = 'pending'`),
    notificationsQueued: await stack.db.notifications.countDocuments({ status: 'queued' }),
  };
}

const isQuiet = (f: InFlight) => Object.values(f).every((n) => n === 0);

/**
 * Polls (bounded) until nothing is in between, then watches for `settleMs` more (long enough
 * for a late duplicate delivery or a late sweep to show) and requires it to be quiet still.
 */
export async function waitForQuiet(
  stack: FaultStack,
  options: { timeoutMs: number; settleMs: number },
): Promise<{ quiet: boolean; waitedMs: number; left: InFlight | null }> {
  const started = Date.now();
  let left: InFlight | null = null;
  while (Date.now() - started < options.timeoutMs) {
    try {
      left = await inFlight(stack);
      if (isQuiet(left)) {
        await sleep(options.settleMs);
        left = await inFlight(stack);
        if (isQuiet(left)) return { quiet: true, waitedMs: Date.now() - started, left };
      }
    } catch {
      // a database still coming back after a restart: ask again
    }
    await sleep(500);
  }
  return { quiet: false, waitedMs: Date.now() - started, left };
}
