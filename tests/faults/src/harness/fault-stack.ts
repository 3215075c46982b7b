import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import axios, { AxiosInstance } from 'axios';
import { Collection, Document, MongoClient } from 'mongodb';
import { Pool } from 'pg';
import {
  ferretDbBinary,
  getFreePorts,
  managedProcess,
  ManagedProcess,
  SmtpInbox,
  startPrivateFerretDb,
  startPrivatePostgres,
  startPrivateRedis,
  startSmtpInbox,
  startToxiproxy,
  REPO_ROOT,
  toxiproxyBinary,
  ToxiproxyServer,
  uniqueName,
  waitFor,
} from '@shop/test-kit';
import { BalancedService, LoadBalancer, startLoadBalancer } from './load-balancer';
import { FaultSettings, ROUTES, Route, serviceEnvironments, ServiceName, START_ORDER } from './service-env';

/**
 * The processes of one service. As a whole (start, stop, kill, signal) it acts on every replica:
 * the service is down, frozen or back; `replicas` reaches one process.
 */
export interface ServiceReplicas extends ManagedProcess {
  replicas: ManagedProcess[];
}

function replicaSet(name: string, replicas: ManagedProcess[]): ServiceReplicas {
  const all = (act: (p: ManagedProcess) => Promise<void>) => Promise.all(replicas.map(act)).then(() => undefined);
  return {
    name,
    replicas,
    pid: () => replicas[0]?.pid(),
    running: () => replicas.some((p) => p.running()),
    start: () => all((p) => p.start()),
    signal: (signal) => replicas.forEach((p) => p.signal(signal)),
    stop: (signal, graceMs) => all((p) => p.stop(signal, graceMs)),
    kill: () => all((p) => p.kill()),
    output: () => (replicas.length === 1 ? replicas[0].output() : replicas.map((p) => `=== ${p.name} ===\n${p.output()}`).join('\n')),
  };
}

/**
 * The four services as real processes on servers of the suite's own (PostgreSQL, Redis, FerretDB,
 * an SMTP inbox), with a Toxiproxy proxy on every route between a service and what it calls.
 * Anything here may be frozen, killed or restarted without touching other work on the machine.
 *
 * With `replicas: 2`, each service runs as two processes behind HAProxy (load-balancer.ts), as
 * the Kubernetes manifests run it: the load and every call between services go through the
 * balancer, and each route's proxy sits in front of it (caller → Toxiproxy → HAProxy →
 * replica), so a toxic on a route hits that route whichever replica answers, and the balancer's
 * health checks (straight to each replica) see a replica's own state, never a route's toxic.
 */
export interface FaultStack {
  settings: FaultSettings;
  /** Processes per service (1, or 2 behind HAProxy). */
  replicaCount: number;
  /** The Order service's environment as it started (after any floor it demanded was applied). */
  orderEnv: Record<string, string>;
  /** The load's way into each service (not through Toxiproxy): the service, or its HAProxy frontend. */
  urls: Record<ServiceName, string>;
  /** Each replica's own URL (a readiness watched per process). */
  replicaUrls: Record<ServiceName, string[]>;
  services: Record<ServiceName, ServiceReplicas>;
  servers: { postgres: ManagedProcess; redis: ManagedProcess; ferretdb: ManagedProcess };
  /** HAProxy, with two replicas. */
  loadBalancer?: ManagedProcess;
  toxiproxy: ToxiproxyServer;
  /** The proxy names of every route towards `target` (e.g. every caller of the User service). */
  proxiesTo(target: Route['target']): string[];
  inbox: SmtpInbox;
  /** Reads straight from the databases (not through the proxies), for the invariants. */
  db: { product: Pool; order: Pool; notifications: Collection<Document> };
  api(service: ServiceName): AxiosInstance;
  internalHeaders: Record<string, string>;
  close(): Promise<void>;
}

const INTERNAL_API_KEY = 'faults-internal-key';
export const ADMIN = { email: 'admin@faults.test', password: 'admin-faults-password-1' };

export async function startFaultStack(
  settings: FaultSettings,
  progress: (message: string) => void = () => undefined,
  replicaCount = 1,
): Promise<FaultStack> {
  if (replicaCount !== 1 && replicaCount !== 2) throw new Error(`FAULTS_REPLICAS must be 1 or 2, not ${replicaCount}`);
  for (const name of START_ORDER) {
    const main = resolve(REPO_ROOT, `services/${name}-service/dist/main.js`);
    if (!existsSync(main)) throw new Error(`${main} is missing: build first with \`npx tsc -b tsconfig.build.json\``);
  }
  const closers: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
    closers.length = 0;
  };
  try {
    const toxiBin = toxiproxyBinary();
    const ferretBin = ferretDbBinary();

    const postgres = await startPrivatePostgres();
    closers.push(() => postgres.close());
    for (const name of ['product_service', 'order_service']) await postgres.createDatabase(name);
    await postgres.createDatabase('ferretdb', { utf8C: true });
    const redis = await startPrivateRedis();
    closers.push(() => redis.close());
    const ferret = await startPrivateFerretDb({
      binary: ferretBin,
      postgresUrl: `postgres://postgres:password@127.0.0.1:${postgres.port}/ferretdb`,
    });
    closers.push(() => ferret.close());
    progress(`PostgreSQL :${postgres.port}, Redis :${redis.port}, FerretDB :${ferret.port} up`);
    const inbox = await startSmtpInbox();
    closers.push(() => inbox.close());
    const toxiproxy = await startToxiproxy({ binary: toxiBin });
    closers.push(() => toxiproxy.close());

    // Every port the stack will listen on, distinct: the services' replicas, one proxy per route
    // and, with replicas, a balancer frontend per service.
    const frontends = replicaCount > 1 ? START_ORDER.length : 0;
    const free = await getFreePorts(START_ORDER.length * replicaCount + ROUTES.length + frontends);
    const replicaPorts = Object.fromEntries(START_ORDER.map((n, i) => [n, free.slice(i * replicaCount, (i + 1) * replicaCount)])) as Record<
      ServiceName,
      number[]
    >;
    const afterReplicas = START_ORDER.length * replicaCount;
    const frontendPorts = Object.fromEntries(
      START_ORDER.map((n, i) => [n, replicaCount > 1 ? free[afterReplicas + ROUTES.length + i] : replicaPorts[n][0]]),
    ) as Record<ServiceName, number>;
    let loadBalancer: LoadBalancer | undefined;
    if (replicaCount > 1) {
      const displayNames: Record<ServiceName, string> = {
        user: 'User service',
        product: 'Product service',
        order: 'Order service',
        notification: 'Notification service',
      };
      const balanced: BalancedService[] = START_ORDER.map((n) => ({
        name: n,
        displayName: displayNames[n],
        frontendPort: frontendPorts[n],
        replicaPorts: replicaPorts[n],
      }));
      loadBalancer = await startLoadBalancer(balanced);
      const lb = loadBalancer;
      closers.push(() => lb.close());
      progress(`HAProxy up: ${START_ORDER.map((n) => `${n} :${frontendPorts[n]} → ${replicaPorts[n].join(', ')}`).join('; ')}`);
    }
    const upstreams: Record<Route['target'], string> = {
      user: `127.0.0.1:${frontendPorts.user}`,
      product: `127.0.0.1:${frontendPorts.product}`,
      notification: `127.0.0.1:${frontendPorts.notification}`,
      postgres: `127.0.0.1:${postgres.port}`,
      mongo: `127.0.0.1:${ferret.port}`,
      redis: `127.0.0.1:${redis.port}`,
      smtp: `127.0.0.1:${inbox.port}`,
    };
    const proxyPorts: Record<string, number> = {};
    for (const [i, route] of ROUTES.entries()) {
      proxyPorts[route.name] = free[afterReplicas + i] as number;
      await toxiproxy.createProxy(route.name, upstreams[route.target], proxyPorts[route.name]);
    }
    const env = serviceEnvironments({
      settings,
      proxyPorts,
      internalApiKey: INTERNAL_API_KEY,
      admin: ADMIN,
      bullPrefix: uniqueName('bull'),
    });

    const services = {} as Record<ServiceName, ServiceReplicas>;
    const define = (name: ServiceName) => {
      const replicas = replicaPorts[name].map((port, i) => {
        const url = `http://127.0.0.1:${port}`;
        return managedProcess({
          name: replicaCount > 1 ? `${name}-service-${i + 1}` : `${name}-service`,
          command: process.execPath,
          args: ['dist/main.js'],
          cwd: resolve(REPO_ROOT, `services/${name}-service`),
          env: { ...env[name], PORT: String(port) },
          ready: async () => (await fetch(`${url}/health`)).ok,
        });
      });
      services[name] = replicaSet(`${name}-service`, replicas);
    };
    for (const name of START_ORDER) {
      define(name);
      closers.push(() => services[name].stop());
    }
    // The sweeper's "stale after" must exceed a floor the Order service computes from its
    // timeouts; the suite asks for as short as the service accepts, whatever its formula.
    const startOrder = async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          // One replica first: a refused setting fails it alone, and the others start with the fix.
          const [first, ...others] = services.order.replicas;
          await first.start();
          await Promise.all(others.map((p) => p.start()));
          return;
        } catch (err) {
          const floors = [...(err as Error).message.matchAll(/([A-Z_]+_MS): \d+ must be more than (\d+)/g)];
          if (floors.length === 0 || attempt >= 3) throw err;
          for (const [, variable, floor] of floors) env.order[variable] = String(Number(floor) + settings.sweepMarginMs);
          // The reconciliation must not take a placement still finishing for a disagreement either.
          if (!floors.some(([, variable]) => variable === 'RECONCILE_AFTER_MS'))
            env.order.RECONCILE_AFTER_MS = env.order.STALE_ORDER_AFTER_MS as string;
          define('order');
        }
      }
    };
    progress(`Toxiproxy ${toxiproxy.apiUrl} with ${ROUTES.length} proxies; starting the services`);
    // All at once: none needs another to start (each only reports the others in its readiness).
    const timed = async (name: ServiceName, start: () => Promise<void>) => {
      const t0 = Date.now();
      await start();
      progress(`${name} service up on :${replicaPorts[name].join(', :')} in ${Date.now() - t0} ms`);
    };
    await Promise.all([
      timed('user', () => services.user.start()),
      timed('product', () => services.product.start()),
      timed('notification', () => services.notification.start()),
      timed('order', startOrder),
    ]);
    if (loadBalancer) {
      const lb = loadBalancer;
      // The load starts once the balancer routes to every replica, not to the first one ready.
      await waitFor(async () => Object.values(await lb.serverStates()).every((state) => state === 'UP'), {
        what: 'HAProxy to see every replica ready',
        timeoutMs: 30_000,
      });
    }

    const pool = (database: string) => {
      const p = new Pool({ host: '127.0.0.1', port: postgres.port, user: 'postgres', password: 'password', database, max: 3 });
      // A restart of PostgreSQL (one of the faults) breaks idle connections: the next query reconnects.
      p.on('error', () => undefined);
      closers.push(() => p.end());
      return p;
    };
    const mongo = new MongoClient(`${ferret.uri}/notification_service`, { serverSelectionTimeoutMS: 10_000 });
    closers.push(() => mongo.close());
    const urls = Object.fromEntries(START_ORDER.map((n) => [n, `http://127.0.0.1:${frontendPorts[n]}`])) as Record<ServiceName, string>;
    const replicaUrls = Object.fromEntries(START_ORDER.map((n) => [n, replicaPorts[n].map((p) => `http://127.0.0.1:${p}`)])) as Record<
      ServiceName,
      string[]
    >;
    const clients = new Map<ServiceName, AxiosInstance>();

    return {
      settings,
      replicaCount,
      orderEnv: { ...env.order },
      urls,
      replicaUrls,
      services,
      loadBalancer: loadBalancer?.process,
      servers: { postgres: postgres.process, redis: redis.process, ferretdb: ferret.process },
      toxiproxy,
      proxiesTo: (target) => ROUTES.filter((r) => r.target === target).map((r) => r.name),
      inbox,
      db: { product: pool('product_service'), order: pool('order_service'), notifications: mongo.db().collection('notifications') },
      api(service) {
        let client = clients.get(service);
        if (!client) {
          client = axios.create({ baseURL: urls[service], validateStatus: () => true, timeout: 60_000 });
          clients.set(service, client);
        }
        return client;
      },
      internalHeaders: { 'X-Internal-Key': INTERNAL_API_KEY },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
