import { setTimeout as sleep } from 'node:timers/promises';
import type { ManagedProcess } from '@shop/test-kit';
import type { InvariantResult } from '../checks/invariants';
import type { FaultStack } from '../harness/fault-stack';
import type { ServiceName } from '../harness/service-env';
import { checkoutBlips } from './checkout-blips';
import { redisDownUserReady } from './redis-down-user-ready';

export interface FaultContext {
  stack: FaultStack;
  /** Marks a span during which the Order service itself is down (its clients see connection errors). */
  orderDown(from: number, to: number): void;
  log(message: string): void;
  /** A check of the fault's own, judged with the suite's invariants. */
  invariant(result: InvariantResult): void;
}

/** One fault: `inject` applies it, keeps it for its duration, reverts it, and returns when it is over. */
export interface Fault {
  id: string;
  title: string;
  inject(ctx: FaultContext): Promise<void>;
  /**
   * For a fault that lasts minutes: a paced load that runs until just after it (instead of the
   * profile's), and the extra time the backlog it leaves gets to drain before "quiet" is judged.
   */
  long?: { loadMs: number; concurrency: number; pauseMs: number; drainMs: number };
  /** The load it runs under: placements (POST /api/orders, the default) or checkouts of carts. */
  load?: 'orders' | 'checkouts';
}

/** Faults that last: kept for this long (a scale of the profile). */
export interface FaultTimings {
  holdMs: number;
  notificationDownMs: number;
  /** The long outages (SMTP refusing, User and Notification services down); none when absent. */
  longOutageMs?: number;
  /** Processes per service: with two, a process fault (a crash, a freeze) takes one of them. */
  replicas?: number;
}

/**
 * The process a crash or a freeze hits: the service's only one, or with two replicas the first,
 * since a process fault takes one process and the balancer must route around it (the outages
 * that say a service is down take every replica).
 */
const crashed = (ctx: FaultContext, name: ServiceName): ManagedProcess => {
  const service = ctx.stack.services[name];
  return ctx.stack.replicaCount > 1 ? service.replicas[0] : service;
};

const latencyOnProduct = (stream: 'upstream' | 'downstream', holdMs: number) => async (ctx: FaultContext) => {
  const latency = ctx.stack.settings.serviceTimeoutMs * 2;
  ctx.log(`latency ${latency} ms on order→product (${stream}) for ${holdMs} ms`);
  await ctx.stack.toxiproxy.addToxic('order-product', {
    name: `latency-${stream}`,
    type: 'latency',
    stream,
    attributes: { latency, jitter: 0 },
  });
  await sleep(holdMs);
  await ctx.stack.toxiproxy.reset();
};

/**
 * `crash`: SIGKILL. `stop`: SIGTERM, as an orchestrator stops a service (it finishes what it has
 * in hand). The Notification service is stopped, not crashed: a worker killed between the SMTP
 * server's acceptance of a mail and the write of `sent` sends that mail again once its claim
 * expires (at least once; SMTP has no idempotency), which RELIABILITY.md states as a limit.
 */
const downFor = (what: 'user' | 'notification', how: 'crash' | 'stop', holdMs: number) => async (ctx: FaultContext) => {
  ctx.log(`${what} service ${how === 'crash' ? 'killed (SIGKILL)' : 'stopped (SIGTERM)'}, down for ${holdMs} ms`);
  if (how === 'crash') await ctx.stack.services[what].kill();
  else await ctx.stack.services[what].stop();
  await sleep(holdMs);
  await ctx.stack.services[what].start();
};

const serverRestart = (which: 'postgres' | 'redis' | 'ferretdb', holdMs: number) => async (ctx: FaultContext) => {
  const server = ctx.stack.servers[which];
  // PostgreSQL: an immediate shutdown (SIGQUIT), the nearest to a crash that still lets the
  // postmaster take its backends down with it; the others are killed outright.
  ctx.log(`${which} ${which === 'postgres' ? 'immediate shutdown' : 'SIGKILL'}, down ${holdMs} ms, started again`);
  if (which === 'postgres') await server.stop('SIGQUIT');
  else await server.kill();
  await sleep(holdMs);
  await server.start();
};

/**
 * Outages of minutes, under a paced load that goes on through them: every confirmation of the
 * time must still go out exactly once when the outage ends (nothing ends `failed`).
 */
function longOutages(outageMs: number, faultAtMs: number): Fault[] {
  const long = { loadMs: faultAtMs + outageMs + 5000, concurrency: 4, pauseMs: 100, drainMs: 90_000 };
  const minutes = `${outageMs / 60_000} min`;
  return [
    {
      id: 'smtp-refusing-long',
      title: `SMTP server refusing every message for ${minutes}`,
      long,
      async inject(ctx) {
        ctx.log(`SMTP server refusing every message for ${outageMs} ms`);
        ctx.stack.inbox.setRejecting(true);
        try {
          await sleep(outageMs);
        } finally {
          ctx.stack.inbox.setRejecting(false);
        }
      },
    },
    { id: 'user-down-long', title: `User service down for ${minutes} (killed)`, long, inject: downFor('user', 'crash', outageMs) },
    {
      id: 'notification-down-long',
      title: `Notification service down for ${minutes} (stopped with SIGTERM)`,
      long,
      inject: downFor('notification', 'stop', outageMs),
    },
  ];
}

export function faultCatalogue(t: FaultTimings, faultAtMs = 5000): Fault[] {
  const one = (t.replicas ?? 1) > 1 ? ' (one of its 2 replicas)' : '';
  return [
    {
      id: 'product-latency-request',
      title: 'Order→Product: latency above the client timeout on requests (before Product commits)',
      inject: latencyOnProduct('upstream', t.holdMs),
    },
    {
      id: 'product-latency-response',
      title: 'Order→Product: latency above the client timeout on responses (after Product commits)',
      inject: latencyOnProduct('downstream', t.holdMs),
    },
    {
      id: 'product-reset-mid-response',
      title: 'Order→Product: connections cut in the middle of a response (limit_data)',
      async inject(ctx) {
        ctx.log(`order→product connections closed after 300 bytes of response, for ${t.holdMs} ms`);
        await ctx.stack.toxiproxy.addToxic('order-product', {
          name: 'cut',
          type: 'limit_data',
          stream: 'downstream',
          attributes: { bytes: 300 },
        });
        await sleep(t.holdMs);
        await ctx.stack.toxiproxy.reset();
      },
    },
    {
      id: 'product-frozen',
      title: `Product service frozen (SIGSTOP) for 5 s, then SIGCONT${one}`,
      async inject(ctx) {
        const target = crashed(ctx, 'product');
        ctx.log(`${target.name} SIGSTOP for 5000 ms`);
        target.signal('SIGSTOP');
        await sleep(5000);
        target.signal('SIGCONT');
      },
    },
    {
      id: 'product-killed',
      title: `Product service killed (SIGKILL) and started again${one}`,
      async inject(ctx) {
        const target = crashed(ctx, 'product');
        ctx.log(`${target.name} SIGKILL, then started again`);
        await target.kill();
        await target.start();
      },
    },
    { id: 'user-down', title: `User service down (killed, back after ${t.holdMs / 1000} s)`, inject: downFor('user', 'crash', t.holdMs) },
    {
      id: 'notification-down',
      title: `Notification service down for ${t.notificationDownMs / 1000} s (stopped with SIGTERM)`,
      inject: downFor('notification', 'stop', t.notificationDownMs),
    },
    { id: 'redis-killed', title: 'Redis killed (SIGKILL) and started again, empty', inject: serverRestart('redis', 2000) },
    { id: 'postgres-restarted', title: 'PostgreSQL restarted (immediate shutdown, down 2 s)', inject: serverRestart('postgres', 2000) },
    { id: 'ferretdb-restarted', title: 'FerretDB killed and started again (down 2 s)', inject: serverRestart('ferretdb', 2000) },
    {
      id: 'order-killed',
      title: `Order service killed (SIGKILL) in the middle of placements, started again${one}`,
      async inject(ctx) {
        const target = crashed(ctx, 'order');
        ctx.log(`${target.name} SIGKILL, then started again`);
        const from = Date.now();
        await target.kill();
        await target.start();
        ctx.orderDown(from, Date.now());
      },
    },
    checkoutBlips(t.holdMs),
    redisDownUserReady(30_000),
    ...(t.longOutageMs ? longOutages(t.longOutageMs, faultAtMs) : []),
  ];
}

export interface Profile {
  name: 'short' | 'full';
  faults: Fault[];
  concurrency: number;
  loadMs: number;
  /** When, after the load started, the fault is injected. */
  faultAtMs: number;
  maxRequests: number;
  productsPerFault: number;
  stockPerProduct: number;
}

export function profile(name: string, replicas = 1): Profile {
  if (name === 'full') {
    return {
      name,
      faults: faultCatalogue({ holdMs: 5000, notificationDownMs: 30_000, longOutageMs: 120_000, replicas }),
      concurrency: 16,
      loadMs: 20_000,
      faultAtMs: 5000,
      maxRequests: 20_000,
      productsPerFault: 20,
      stockPerProduct: 300,
    };
  }
  if (name !== 'short') throw new Error(`FAULTS_PROFILE must be short or full, not ${name}`);
  const short = ['product-frozen', 'product-latency-response', 'order-killed'];
  return {
    name,
    faults: faultCatalogue({ holdMs: 4000, notificationDownMs: 10_000, replicas }).filter((f) => short.includes(f.id)),
    concurrency: 8,
    loadMs: 10_000,
    faultAtMs: 3000,
    maxRequests: 5000,
    productsPerFault: 10,
    stockPerProduct: 200,
  };
}
