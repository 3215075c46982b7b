import { createHmac, randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import axios from 'axios';
import {
  createTestMongoDatabase,
  getFreePort,
  spawnService,
  SpawnedService,
  testRedis,
  TestMongoDatabase,
  uniqueName,
  waitFor,
} from '@shop/test-kit';
import { E2E_JWT_SECRET, RegisteredUser, ServiceName, Stack, startStack } from '../harness/stack';
import { address } from '../orders/order-helpers';
import { documentedOperations, Operation } from './openapi-operations';

const SERVICES: ServiceName[] = ['user', 'product', 'order', 'notification'];
const ISSUER = 'shop-user-service';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
function hs256(payload: object, secret: string, header: object = { alg: 'HS256', typ: 'JWT' }): string {
  const unsigned = `${base64url(header)}.${base64url(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** What attackers send: SQL, NoSQL operators, a NUL, a very long string. */
const INJECTIONS: unknown[] = ["' OR '1'='1' --", '1; DROP TABLE orders; --', { $gt: '' }, { $ne: null }, 'a\u0000b', 'x'.repeat(20_000)];

/** An envelope of a refusal, never a 5xx. */
function expectRefusal(what: string, status: number, body: unknown) {
  expect({ what, status, fivexx: status >= 500 }).toEqual({ what, status, fivexx: false });
  if (status >= 400) expect({ what, success: (body as { success?: unknown })?.success }).toEqual({ what, success: false });
}

describe('attacks', () => {
  let stack: Stack;
  let operations: Operation[];
  let customer: RegisteredUser;
  let other: RegisteredUser;
  let adminToken: string;

  beforeAll(async () => {
    stack = await startStack();
    operations = (await Promise.all(SERVICES.map((s) => documentedOperations(s, stack.api(s))))).flat();
    [customer, other, adminToken] = await Promise.all([stack.registerUser(), stack.registerUser(), stack.adminToken()]);
  }, 120_000);
  afterAll(() => stack?.close(), 60_000);

  const send = (op: Operation, path: string, headers: Record<string, string>, data?: unknown) =>
    stack.api(op.service).request({ method: op.method, url: path, headers, data: data ?? (op.bodyProperties.length ? {} : undefined) });

  it('finds every service’s documented operations, bearer and internal ones among them', () => {
    for (const service of SERVICES)
      expect({ service, bearer: operations.some((o) => o.service === service && o.bearer) }).toEqual({ service, bearer: true });
    expect(operations.filter((o) => o.internalKey).length).toBeGreaterThanOrEqual(10);
  });

  it('refuses forged tokens (alg none, wrong secret, tampered, expired) on every bearer route with 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: customer.id, email: customer.email, role: 'admin', ver: 0, iss: ISSUER, iat: now, exp: now + 3600 };
    const [header, , signature] = customer.token.split('.');
    const forged: Record<string, string> = {
      'alg none': `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`,
      'wrong secret': hs256(claims, 'not-the-secret-not-the-secret-not-the-secret'),
      'tampered (role admin, old signature)': `${header}.${base64url(claims)}.${signature}`,
      expired: hs256({ ...claims, role: 'customer', iat: now - 7200, exp: now - 3600 }, E2E_JWT_SECRET),
      'wrong issuer': hs256({ ...claims, iss: 'someone-else' }, E2E_JWT_SECRET),
    };
    const bearerRoutes = operations.filter((o) => o.bearer);
    for (const op of bearerRoutes) {
      for (const [kind, token] of Object.entries(forged)) {
        const res = await send(op, op.path(), { Authorization: `Bearer ${token}` });
        expect({ route: `${op.service} ${op.method} ${op.template}`, kind, status: res.status }).toEqual({
          route: `${op.service} ${op.method} ${op.template}`,
          kind,
          status: 401,
        });
      }
    }
  });

  it('refuses a missing or wrong internal key on every internal route of every service with 401', async () => {
    const internalOnly = operations.filter((o) => o.internalKey);
    for (const op of internalOnly) {
      for (const [kind, headers] of Object.entries<Record<string, string>>({
        'no key': {},
        'wrong key': { 'X-Internal-Key': 'guessed-key' },
      })) {
        const res = await send(op, op.path(), headers);
        expect({ route: `${op.service} ${op.method} ${op.template}`, kind, status: res.status }).toEqual({
          route: `${op.service} ${op.method} ${op.template}`,
          kind,
          status: 401,
        });
      }
    }
    // The queue dashboard is not in the document: it is for operators, behind the same key.
    expect((await stack.api('notification').get('/admin/queues')).status).toBe(401);
  });

  it('answers injection strings in every body field, query parameter and path parameter with a 4xx or a success, never a 5xx', async () => {
    const headers = { Authorization: `Bearer ${adminToken}`, ...stack.internalHeaders };
    let sent = 0;
    for (const op of operations) {
      for (const value of INJECTIONS) {
        for (const field of op.bodyProperties) {
          const res = await send(op, op.path(), headers, { [field]: value });
          expectRefusal(
            `${op.service} ${op.method} ${op.template} body.${field}=${JSON.stringify(value).slice(0, 30)}`,
            res.status,
            res.data,
          );
          sent += 1;
        }
        // URLs carry the short ones: a 20 kB URL is refused by Node's HTTP parser (431) before any route.
        if (typeof value !== 'string' || value.length > 1000) continue;
        for (const param of op.queryParams) {
          const res = await stack.api(op.service).request({ method: op.method, url: op.path(), headers, params: { [param.name]: value } });
          expectRefusal(`${op.service} ${op.method} ${op.template} ?${param.name}=${value.slice(0, 30)}`, res.status, res.data);
          sent += 1;
        }
        if (op.pathParams.length) {
          const res = await send(
            op,
            op.path(() => value),
            headers,
          );
          expectRefusal(`${op.service} ${op.method} ${op.template} path=${value.slice(0, 30)}`, res.status, res.data);
          sent += 1;
        }
      }
    }
    expect(sent).toBeGreaterThan(300);
  });

  it('answers an oversized body with 413 on every service', async () => {
    const body = { name: 'x'.repeat(200 * 1024) };
    const targets: Array<[ServiceName, string]> = [
      ['user', '/api/users/register'],
      ['product', '/api/categories'],
      ['order', '/api/orders'],
      ['notification', '/api/notifications'],
    ];
    for (const [service, path] of targets) {
      const res = await stack
        .api(service)
        .post(path, body, { headers: { Authorization: `Bearer ${adminToken}`, ...stack.internalHeaders } });
      expect({ service, status: res.status, success: res.data?.success }).toEqual({ service, status: 413, success: false });
    }
  });

  it('keeps a customer out of admin routes and cannot make itself admin', async () => {
    const auth = customer.auth;
    const adminOnly: Array<[ServiceName, 'get' | 'post' | 'patch', string, unknown?]> = [
      ['user', 'get', '/api/users'],
      ['product', 'post', '/api/categories', { name: uniqueName('cat') }],
      ['product', 'post', '/api/products', { name: 'x', price: 1, categoryId: randomUUID() }],
      ['order', 'patch', `/api/orders/${randomUUID()}/status`, { status: 'confirmed' }],
      ['notification', 'get', '/api/notifications'],
      ['notification', 'post', '/api/notifications', { userId: other.id, title: 'Hi', description: 'Spam', notificationType: 'email' }],
    ];
    for (const [service, method, url, data] of adminOnly) {
      const res = await stack.api(service).request({ method, url, data, headers: auth });
      expect({ service, url, status: res.status }).toEqual({ service, url, status: 403 });
    }
    const promote = await stack.api('user').put('/api/users/profile', { role: 'admin' }, { headers: auth });
    expect(promote.status).toBe(400);
    const register = await stack.api('user').post('/api/users/register', {
      firstName: 'Eve',
      lastName: 'Admin',
      email: `${uniqueName('eve')}@example.com`,
      password: 'correct-horse-42',
      role: 'admin',
    });
    expect(register.status === 400 || register.data?.data?.user?.role === 'customer').toBe(true);
    expect((await stack.api('user').get('/api/users/profile', { headers: auth })).data.data.user.role).toBe('customer');
  });

  it('hides other users’ orders and notifications (404)', async () => {
    const product = await stack.createProduct({ price: 5, stock: 10 });
    const placed = await stack
      .api('order')
      .post('/api/orders', { items: [{ productId: product.id, quantity: 1 }], shippingAddress: address }, { headers: customer.auth });
    expect(placed.status).toBe(201);
    const orderId = placed.data.data.order.id as string;
    const order = stack.api('order');
    expect((await order.get(`/api/orders/${orderId}`, { headers: other.auth })).status).toBe(404);
    expect((await order.post(`/api/orders/${orderId}/cancel`, {}, { headers: other.auth })).status).toBe(404);
    const theirs = await order.get('/api/orders', { headers: other.auth });
    expect(theirs.data.data.orders.map((o: { id: string }) => o.id)).not.toContain(orderId);

    const notifications = stack.api('notification');
    const mine = await waitFor(
      async () => {
        const res = await notifications.get('/api/notifications/me', { headers: customer.auth });
        return res.data?.data?.notifications?.[0]?.id as string | undefined;
      },
      { timeoutMs: 20_000, what: 'the customer’s order notification' },
    );
    expect((await notifications.get(`/api/notifications/${mine}`, { headers: other.auth })).status).toBe(404);
    expect((await notifications.patch(`/api/notifications/${mine}/read`, {}, { headers: other.auth })).status).toBe(404);
    expect((await order.get(`/api/orders/${orderId}`, { headers: customer.auth })).status).toBe(200);
  });

  describe('brute force across two instances of the User service', () => {
    let mongo: TestMongoDatabase;
    const instances: SpawnedService[] = [];

    beforeAll(async () => {
      mongo = createTestMongoDatabase('e2e_bruteforce');
      const env = {
        MONGODB_URI: mongo.uri,
        JWT_SECRET: E2E_JWT_SECRET,
        INTERNAL_API_KEY: 'e2e-bruteforce-key',
        BCRYPT_ROUNDS: '4',
        LOGIN_MAX_FAILURES: '5',
        REDIS_HOST: testRedis.host,
        REDIS_PORT: String(testRedis.port),
        RATE_LIMIT_PREFIX: uniqueName('e2e_bruteforce_rl'),
      };
      const cwd = resolve(__dirname, '../../../../services/user-service');
      for (const name of ['user-1', 'user-2'])
        instances.push(await spawnService({ name, cwd, port: await getFreePort(), env, waitForReady: true }));
    }, 60_000);
    afterAll(async () => {
      for (const instance of instances) await instance.stop();
      await mongo?.drop();
    });

    it('stops guesses spread over both instances after the limit, for the right password too', async () => {
      const [first, second] = instances.map((i) => axios.create({ baseURL: i.url, validateStatus: () => true }));
      const email = `${uniqueName('victim')}@example.com`;
      const password = 'correct-horse-42';
      expect((await first.post('/api/users/register', { firstName: 'Vic', lastName: 'Tim', email, password })).status).toBe(201);
      const statuses: number[] = [];
      for (let i = 0; i < 10; i += 1)
        statuses.push((await (i % 2 ? second : first).post('/api/users/login', { email, password: `guess-${i}-guess` })).status);
      expect(statuses).toEqual([...Array(5).fill(401), ...Array(5).fill(429)]);
      expect((await second.post('/api/users/login', { email, password })).status).toBe(429);
    });
  });
});
