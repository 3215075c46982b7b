import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import axios, { AxiosInstance } from 'axios';
import { Pool } from 'pg';
import {
  createTestMongoDatabase,
  createTestPostgresDatabase,
  currentTestFailed,
  deleteRedisKeys,
  failFast,
  getFreePorts,
  SmtpInbox,
  spawnService,
  SpawnedService,
  ServiceExitedError,
  startSmtpInbox,
  testRedis,
  TestMongoDatabase,
  TestPostgresDatabase,
  uniqueName,
} from '@shop/test-kit';
import { tracingEnv, ZipkinServer } from './zipkin';

/**
 * The four real services as separate processes (their built `dist/main.js`), each on a free
 * port and on databases of its own, wired to each other as in production. See tests/e2e/README.md.
 */

export type ServiceName = 'user' | 'product' | 'order' | 'notification';

export interface StackOptions {
  /** Extra environment per service, on top of the harness's test settings (e.g. `{ order: { OUTBOX_MAX_BACKOFF_MS: '500' } }`). */
  env?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Every service traces into this Zipkin (see zipkin.ts); off otherwise. */
  tracing?: ZipkinServer;
}

export interface RegisteredUser {
  id: string;
  email: string;
  password: string;
  role: 'customer' | 'admin';
  token: string;
  /** `{ Authorization: 'Bearer …' }`, ready for axios `headers`. */
  auth: { Authorization: string };
}

export interface ProductInput {
  price: number;
  stock: number;
  name?: string;
  categoryId?: string;
  isActive?: boolean;
}

export interface CreatedProduct {
  id: string;
  name: string;
  price: number;
  stock: number;
  categoryId: string;
  isActive: boolean;
}

export interface Stack {
  /** Base URL of each service, e.g. `urls.order` = `http://127.0.0.1:41234`. */
  urls: Record<ServiceName, string>;
  /** The SMTP server the Notification service sends to; `inbox.messages` holds what arrived. */
  inbox: SmtpInbox;
  /** Headers that make a call internal (`X-Internal-Key`). */
  internalHeaders: Record<string, string>;
  admin: { email: string; password: string };
  /** An axios instance for one service: never throws on an HTTP status (check `res.status`). */
  api(service: ServiceName): AxiosInstance;
  /** Registers a new customer and returns it with its token. */
  registerUser(overrides?: { firstName?: string; lastName?: string; email?: string; password?: string }): Promise<RegisteredUser>;
  /** A token of the seeded admin (ADMIN_EMAIL/ADMIN_PASSWORD), fetched once. */
  adminToken(): Promise<string>;
  /** Creates a category (internal key); name unique by default. */
  createCategory(name?: string): Promise<{ id: string; name: string }>;
  /** Creates a product through the Product service's API with the internal key (a shared category by default). */
  createProduct(input: ProductInput): Promise<CreatedProduct>;
  /** The product as the Product service has it now (its current stock). */
  getProduct(id: string): Promise<CreatedProduct>;
  /** SQL straight on a service's PostgreSQL database (for assertions and fault injection). */
  query<T = Record<string, unknown>>(database: 'order' | 'product', sql: string, params?: unknown[]): Promise<T[]>;
  /** Stops one service (SIGTERM, graceful), e.g. to test how the others cope. */
  stop(service: ServiceName): Promise<void>;
  /** Starts a stopped service again, on the same port and databases. */
  start(service: ServiceName): Promise<void>;
  /** What a service process wrote (its logs), for a failing test's message. */
  output(service: ServiceName): string;
  /**
   * The folder holding every service's whole log, one `<service>.log` each (under
   * `.data/e2e-logs/`). close() removes it unless keepLogs() was called or a service died.
   */
  logDir: string;
  /** Keeps the logs after close() (useStack calls it when a test fails). */
  keepLogs(): void;
  /** The last `lines` of every service's log, each headed by its file: what a failed test prints. */
  logReport(lines?: number): string;
  /** The process id of a running service (to crash it for real in a test). */
  pid(service: ServiceName): number | undefined;
  /** Set once a service died without being stopped: every later call and wait fails with it. */
  died(): ServiceExitedError | undefined;
  /** Stops every service, closes the inbox and drops every database. */
  close(): Promise<void>;
}

const REPO_ROOT = resolve(__dirname, '../../../..');
const INTERNAL_API_KEY = 'e2e-internal-key';
/** The User service's signing key in these stacks (the attack tests forge tokens around it). */
export const E2E_JWT_SECRET = 'e2e-jwt-secret-that-is-long-enough-0123456789';
const ADMIN = { email: 'admin@e2e.test', password: 'admin-e2e-password-1' };
/** Start order: the User service first (the others ask it), the Order service last. */
const START_ORDER: ServiceName[] = ['user', 'product', 'notification', 'order'];

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  for (const name of START_ORDER) {
    const main = resolve(REPO_ROOT, `services/${name}-service/dist/main.js`);
    if (!existsSync(main)) throw new Error(`${main} is missing: build first with \`npx tsc -b tsconfig.build.json\``);
  }

  const resources: Array<() => Promise<unknown>> = [];
  const running = new Map<ServiceName, SpawnedService>();
  // The latest process of each service, stopped ones included, for the log report.
  const spawned = new Map<ServiceName, SpawnedService>();
  // Every service's whole output, kept on disk so a failure can be read in full after the run.
  const logDir = resolve(REPO_ROOT, '.data/e2e-logs', uniqueName('stack'));
  // A service that dies under a test is the cause of whatever fails next: name it at once, with
  // its exit code and last lines, instead of a later ECONNREFUSED or a wait that runs out.
  let died: ServiceExitedError | undefined;
  const forgetDeaths = failFast(() => died);
  let keepLogs = false;
  const pools = new Map<'order' | 'product', Pool>();
  const cleanUp = async () => {
    for (const name of [...START_ORDER].reverse()) await running.get(name)?.stop();
    running.clear();
    for (const pool of pools.values()) await pool.end();
    pools.clear();
    // Each step on its own: one failing must not leave the others' databases behind.
    for (const release of resources.reverse()) await release().catch(() => undefined);
    resources.length = 0;
    forgetDeaths();
    // The services are stopped, so their log files are complete: a clean run leaves nothing behind.
    if (!keepLogs && !died) rmSync(logDir, { recursive: true, force: true });
  };

  try {
    const inbox = await startSmtpInbox();
    resources.push(() => inbox.close());
    const productDb = await createTestPostgresDatabase('e2e_product');
    resources.push(() => productDb.drop());
    const orderDb = await createTestPostgresDatabase('e2e_order');
    resources.push(() => orderDb.drop());
    const userMongo = createTestMongoDatabase('e2e_user');
    resources.push(() => userMongo.drop());
    const notificationMongo = createTestMongoDatabase('e2e_notification');
    resources.push(() => notificationMongo.drop());
    const bullPrefix = uniqueName('bull_e2e');
    resources.push(() => deleteRedisKeys(bullPrefix));

    // Held open together, so no two services are handed the same port.
    const freePorts = await getFreePorts(START_ORDER.length);
    const ports = Object.fromEntries(START_ORDER.map((n, i) => [n, freePorts[i]])) as Record<ServiceName, number>;
    const urls = Object.fromEntries(START_ORDER.map((n) => [n, `http://127.0.0.1:${ports[n]}`])) as Record<ServiceName, string>;
    const env = serviceEnvironments({ urls, inbox, productDb, orderDb, userMongo, notificationMongo, bullPrefix }, options);

    const start = async (name: ServiceName) => {
      if (running.has(name)) throw new Error(`${name} service is already running`);
      const service = await spawnService({
        name: `${name}-service`,
        cwd: resolve(REPO_ROOT, `services/${name}-service`),
        port: ports[name],
        env: env[name],
        logFile: resolve(logDir, `${name}-service.log`),
        onUnexpectedExit: (exit) => {
          died ??= new ServiceExitedError(exit);
        },
      });
      running.set(name, service);
      spawned.set(name, service);
    };
    await start('user');
    await Promise.all([start('product'), start('notification')]);
    await start('order');

    for (const [name, db] of [
      ['order', orderDb],
      ['product', productDb],
    ] as const) {
      pools.set(name, new Pool({ host: db.host, port: db.port, user: db.user, password: db.password, database: db.name, max: 2 }));
    }

    const clients = new Map<ServiceName, AxiosInstance>();
    const api = (service: ServiceName): AxiosInstance => {
      let client = clients.get(service);
      if (!client) {
        client = axios.create({ baseURL: urls[service], validateStatus: () => true, timeout: 30_000 });
        client.interceptors.request.use((config) => {
          if (died) throw died;
          return config;
        });
        // A connection error after a death is its symptom: report the death instead.
        client.interceptors.response.use(undefined, (err: unknown) => Promise.reject(died ?? err));
        clients.set(service, client);
      }
      return client;
    };
    const internalHeaders = { 'X-Internal-Key': INTERNAL_API_KEY };
    const expectStatus = <T>(what: string, res: { status: number; data: unknown }, status: number[]): T => {
      if (!status.includes(res.status)) throw new Error(`${what} answered ${res.status}: ${JSON.stringify(res.data)}`);
      return (res.data as { data: T }).data;
    };

    let adminToken: Promise<string> | undefined;
    let defaultCategory: Promise<{ id: string; name: string }> | undefined;
    const createCategory = async (name = uniqueName('category')) =>
      expectStatus<{ category: { id: string; name: string } }>(
        'creating a category',
        await api('product').post('/api/categories', { name }, { headers: internalHeaders }),
        [201],
      ).category;

    const stack: Stack = {
      urls,
      inbox,
      internalHeaders,
      admin: ADMIN,
      api,
      async registerUser(overrides = {}) {
        const email = overrides.email ?? `${uniqueName('customer')}@e2e.test`;
        const password = overrides.password ?? 'e2e-password-1';
        const body = { firstName: overrides.firstName ?? 'Ann', lastName: overrides.lastName ?? 'Smith', email, password };
        const data = expectStatus<{ user: { id: string; role: 'customer' | 'admin' }; token: string }>(
          'registering a user',
          await api('user').post('/api/users/register', body),
          [201],
        );
        return {
          id: data.user.id,
          email,
          password,
          role: data.user.role,
          token: data.token,
          auth: { Authorization: `Bearer ${data.token}` },
        };
      },
      adminToken() {
        adminToken ??= api('user')
          .post('/api/users/login', ADMIN)
          .then((res) => expectStatus<{ token: string }>('the admin login', res, [200]).token);
        return adminToken;
      },
      createCategory,
      async createProduct(input) {
        defaultCategory ??= createCategory();
        const categoryId = input.categoryId ?? (await defaultCategory).id;
        const body = {
          name: input.name ?? uniqueName('product'),
          price: input.price,
          stock: input.stock,
          categoryId,
          isActive: input.isActive ?? true,
        };
        return expectStatus<{ product: CreatedProduct }>(
          'creating a product',
          await api('product').post('/api/products', body, { headers: internalHeaders }),
          [201],
        ).product;
      },
      async getProduct(id) {
        return expectStatus<{ product: CreatedProduct }>(`reading product ${id}`, await api('product').get(`/api/products/${id}`), [200])
          .product;
      },
      async query<T>(database: 'order' | 'product', sql: string, params: unknown[] = []) {
        const pool = pools.get(database);
        if (!pool) throw new Error('the stack is closed');
        return (await pool.query(sql, params)).rows as T[];
      },
      async stop(service) {
        await running.get(service)?.stop();
        running.delete(service);
      },
      start,
      output: (service) => running.get(service)?.output() ?? '',
      logDir,
      keepLogs() {
        keepLogs = true;
      },
      logReport(lines = 40) {
        const report = START_ORDER.map((name) => {
          const file = resolve(logDir, `${name}-service.log`);
          const tail = spawned.get(name)?.tail(lines) ?? '(never started)';
          return `--- ${name}-service (${file}) ---\n${tail || '(no output)'}`;
        });
        const cause = died ? `${died.message}\n\n` : '';
        return `${cause}The last ${lines} lines of each service's log:\n${report.join('\n')}`;
      },
      pid: (service) => running.get(service)?.process.pid,
      died: () => died,
      close: cleanUp,
    };
    return stack;
  } catch (err) {
    await cleanUp();
    throw err;
  }
}

interface StackResources {
  urls: Record<ServiceName, string>;
  inbox: SmtpInbox;
  productDb: TestPostgresDatabase;
  orderDb: TestPostgresDatabase;
  userMongo: TestMongoDatabase;
  notificationMongo: TestMongoDatabase;
  bullPrefix: string;
}

/** Production wiring with test-sized timeouts, backoffs and limits, so failures show up in seconds. */
function serviceEnvironments(r: StackResources, options: StackOptions): Record<ServiceName, Record<string, string>> {
  const common = {
    NODE_ENV: 'test',
    INTERNAL_API_KEY,
    // Four services, three database servers and jest share two cores, and a test may fire 100
    // orders at once: a call can then take a second or two. A stopped service refuses connections
    // at once, so failure tests stay fast whatever this is.
    SERVICE_TIMEOUT_MS: '5000',
    USER_SERVICE_URL: r.urls.user,
    PRODUCT_SERVICE_URL: r.urls.product,
    ORDER_SERVICE_URL: r.urls.order,
    NOTIFICATION_SERVICE_URL: r.urls.notification,
  };
  const postgres = (db: TestPostgresDatabase) => ({
    DB_HOST: db.host,
    DB_PORT: String(db.port),
    DB_USERNAME: db.user,
    DB_PASSWORD: db.password,
    DB_NAME: db.name,
  });
  const base: Record<ServiceName, Record<string, string>> = {
    user: {
      ...common,
      MONGODB_URI: r.userMongo.uri,
      JWT_SECRET: E2E_JWT_SECRET,
      BCRYPT_ROUNDS: '4',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      // Every test user registers from 127.0.0.1: the per-client limits would otherwise trip.
      AUTH_RATE_LIMIT_MAX: '100000',
      // The limits' counters: this stack's own keys, deleted with its Bull keys.
      REDIS_HOST: testRedis.host,
      REDIS_PORT: String(testRedis.port),
      RATE_LIMIT_PREFIX: `${r.bullPrefix}:rl`,
      LOGIN_MAX_FAILURES: '1000',
    },
    product: {
      ...common,
      ...postgres(r.productDb),
      RESERVATION_TTL_MS: '600000',
    },
    notification: {
      ...common,
      MONGODB_URI: r.notificationMongo.uri,
      REDIS_HOST: testRedis.host,
      REDIS_PORT: String(testRedis.port),
      BULL_PREFIX: r.bullPrefix,
      SMTP_HOST: r.inbox.host,
      SMTP_PORT: String(r.inbox.port),
      NOTIFY_MAX_ATTEMPTS: '5',
      NOTIFY_BACKOFF_MS: '200',
      REQUEUE_INTERVAL_MS: '1000',
      REQUEUE_AFTER_MS: '2000',
    },
    order: {
      ...common,
      ...postgres(r.orderDb),
      BREAKER_HALF_OPEN_MS: '1000',
      OUTBOX_POLL_INTERVAL_MS: '100',
      OUTBOX_INITIAL_BACKOFF_MS: '200',
      OUTBOX_MAX_BACKOFF_MS: '1000',
      // Above one delivery call at SERVICE_TIMEOUT_MS × 3 attempts plus backoff (the Order service refuses less).
      OUTBOX_LEASE_MS: '20000',
    },
  };
  for (const name of START_ORDER) {
    const tracing = options.tracing ? tracingEnv(options.tracing, `${name}-service`) : { OTEL_TRACES_EXPORTER: 'none' };
    base[name] = { ...base[name], ...tracing, ...options.env?.[name] };
  }
  return base;
}

/**
 * One stack for the whole describe block, started before its tests and closed after them:
 * `const stack = useStack();` at the top of the block, then `stack.api('order')` in the tests.
 */
export function useStack(options: StackOptions = {}): Stack {
  let started: Stack | undefined;
  beforeAll(async () => {
    started = await startStack(options);
    // Three rounds of starts (user, then product and notification, then order) on a loaded machine.
  }, 300_000);
  afterEach(() => {
    if (!started) return;
    // Unknown (not jest-circus) counts as failed only when a service died: logs are not hidden on a guess.
    const failed = currentTestFailed() === true || started.died() !== undefined;
    if (!failed) return;
    started.keepLogs();
    process.stderr.write(`\n${expect.getState().currentTestName ?? 'a test'} failed. ${started.logReport()}\n`);
  });
  afterAll(() => started?.close(), 60_000);
  return new Proxy({} as Stack, {
    get(_target, key) {
      if (!started) throw new Error('The stack is used before beforeAll started it');
      const value = started[key as keyof Stack];
      return typeof value === 'function' ? value.bind(started) : value;
    },
  });
}
