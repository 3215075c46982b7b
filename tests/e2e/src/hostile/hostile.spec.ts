import { randomUUID } from 'node:crypto';
import { RegisteredUser, ServiceName, Stack, startStack } from '../harness/stack';
import { address, placeOrder } from '../orders/order-helpers';
import { bodyCases, HostileCase, HostileOperation, hostileOperations, KnownIds, queryCases, valuesNamed } from './hostile-cases';

const SERVICES: ServiceName[] = ['user', 'product', 'order', 'notification'];
/** Requests in flight at once: enough to finish in seconds, few enough for two shared cores. */
const CONCURRENCY = 6;

interface Outcome {
  service: ServiceName;
  route: string;
  credentials: string;
  attack: string;
  where: string;
  status: number;
  problem?: string;
}

function judge(c: HostileCase, status: number, body: unknown): string | undefined {
  if (status >= 500) return `a ${status}`;
  const envelope = body as { success?: unknown; error?: unknown; code?: unknown; requestId?: unknown; data?: unknown } | undefined;
  if (status >= 400) {
    const ok =
      envelope?.success === false &&
      typeof envelope.error === 'string' &&
      typeof envelope.code === 'string' &&
      typeof envelope.requestId === 'string';
    return ok ? undefined : `a ${status} outside the error envelope: ${JSON.stringify(body).slice(0, 200)}`;
  }
  if (c.expect === 'refused') return `${status} for input that must be refused`;
  if (envelope?.success !== true) return `a ${status} outside the success envelope`;
  if (!c.kept) return undefined;
  const shown = valuesNamed(envelope.data, c.kept.key);
  const same = (v: unknown) => JSON.stringify(v) === JSON.stringify(c.kept!.value);
  if (shown.length === 0 || shown.some((v) => same(v) || (Array.isArray(v) && v.some(same)))) return undefined;
  return `accepted but read back changed (${c.kept.key})`;
}

/** Runs tasks a few at a time, in order of submission. */
async function inPool<T>(tasks: Array<() => Promise<T>>, width: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]();
      }
    }),
  );
  return results;
}

describe('hostile input', () => {
  let stack: Stack;
  let operations: HostileOperation[];
  let customer: RegisteredUser;
  let adminToken: string;
  let ids: KnownIds;

  beforeAll(async () => {
    stack = await startStack();
    operations = (await Promise.all(SERVICES.map((s) => hostileOperations(s, stack.api(s))))).flat();
    [customer, adminToken] = await Promise.all([stack.registerUser(), stack.adminToken()]);
    const category = await stack.createCategory();
    const product = await stack.createProduct({ price: 10, stock: 1_000_000, categoryId: category.id });
    const order = await placeOrder(stack, customer, [{ productId: product.id, quantity: 1 }]);
    if (order.status !== 201) throw new Error(`placing an order answered ${order.status}: ${JSON.stringify(order.data)}`);
    ids = { categoryId: category.id, productId: product.id, orderId: order.data.data.order.id, userId: customer.id };
  }, 120_000);
  afterAll(() => stack?.close(), 60_000);

  /** A path parameter filled with a real id where there is one, so the request can reach the store. */
  const fill = (op: HostileOperation) =>
    op.template.replace(/\{([^}]+)\}/g, (_m, name: string) => {
      if (/categor/.test(op.template) && name === 'id') return ids.categoryId;
      if (/products/.test(op.template) && name === 'id') return ids.productId;
      if (/orders/.test(op.template) && name === 'id') return ids.orderId;
      if (name === 'productId') return ids.productId;
      return randomUUID();
    });

  it('finds routes with a body or a query in every service', () => {
    for (const service of SERVICES)
      expect({ service, found: operations.some((o) => o.service === service) }).toEqual({ service, found: true });
  });

  it('answers every generated case with a 4xx envelope, or a 2xx that keeps what was sent, never a 5xx', async () => {
    const credentialsFor = (op: HostileOperation): Array<[string, Record<string, string>]> => [
      ['none', {}],
      ...(op.internalKey ? [['internal key', stack.internalHeaders] as [string, Record<string, string>]] : []),
      ...(op.bearer ? [['admin token', { Authorization: `Bearer ${adminToken}` }] as [string, Record<string, string>]] : []),
    ];
    const tasks: Array<() => Promise<Outcome>> = [];
    for (const op of operations) {
      const path = fill(op);
      const cases = [...(op.body ? bodyCases(op, path, ids) : []), ...queryCases(op, path)];
      for (const [credentials, auth] of credentialsFor(op)) {
        for (const c of cases) {
          tasks.push(async () => {
            const res = await stack.api(op.service).request({
              method: op.method,
              url: c.url,
              headers: { ...c.headers, ...auth },
              data: c.data,
              // The text or bytes go out exactly as built: axios must not encode them as JSON again.
              transformRequest: [(data: unknown) => data],
              maxBodyLength: Infinity,
            });
            return {
              service: op.service,
              route: `${op.method.toUpperCase()} ${op.template}`,
              credentials,
              attack: c.attack,
              where: c.where,
              status: res.status,
              problem: judge(c, res.status, res.data),
            };
          });
        }
      }
    }
    const outcomes = await inPool(tasks, CONCURRENCY);

    const figures = SERVICES.map((service) => {
      const mine = outcomes.filter((o) => o.service === service);
      return {
        service,
        routes: new Set(mine.map((o) => o.route)).size,
        cases: mine.length,
        '5xx': mine.filter((o) => o.status >= 500).length,
        accepted: mine.filter((o) => o.status < 300).length,
      };
    });
    const serverErrors = outcomes.filter((o) => o.status >= 500);
    // The figures RELIABILITY.md records ("Hostile input"), printed whether the test passes or not.
    process.stdout.write(
      `hostile input: ${outcomes.length} cases, ${serverErrors.length} answered 5xx\n` +
        figures
          .map((f) => `  ${f.service}: ${f.routes} routes, ${f.cases} cases, ${f['5xx']} 5xx, ${f.accepted} accepted (2xx)\n`)
          .join(''),
    );
    const problems = outcomes.filter((o) => o.problem);
    // One line per route and attack is enough to see what broke.
    const distinct = [...new Map(problems.map((p) => [`${p.service} ${p.route} ${p.attack} ${p.problem}`, p])).values()];
    expect(distinct.map((p) => `${p.service} ${p.route} [${p.credentials}] ${p.attack} at ${p.where}: ${p.problem}`)).toEqual([]);
  }, 120_000);

  it('answers a bearer token longer than 4,096 characters with 401 on every bearer route', async () => {
    const oversized = `${(await stack.registerUser()).token}${'a'.repeat(4096)}`;
    const bearerRoutes = operations.filter((o) => o.bearer);
    expect(bearerRoutes.length).toBeGreaterThan(0);
    for (const op of bearerRoutes) {
      const res = await stack
        .api(op.service)
        .request({ method: op.method, url: fill(op), headers: { Authorization: `Bearer ${oversized}` } });
      const route = `${op.service} ${op.method} ${op.template}`;
      expect({ route, status: res.status, code: res.data?.code }).toEqual({ route, status: 401, code: 'INVALID_TOKEN' });
    }
  });

  it('cancels an order named by its id in upper case, with its stock release done and marked sent', async () => {
    const product = await stack.createProduct({ price: 5, stock: 10 });
    const placed = await placeOrder(stack, customer, [{ productId: product.id, quantity: 3 }]);
    expect(placed.status).toBe(201);
    const id: string = placed.data.data.order.id;

    const res = await stack.api('order').post(`/api/orders/${id.toUpperCase()}/cancel`, undefined, { headers: customer.auth });
    expect(res.status).toBe(200);
    expect(res.data.data.order).toMatchObject({ id, status: 'cancelled' });
    // The cancel releases the stock itself and marks its queued release sent before it answers.
    expect((await stack.getProduct(product.id)).stock).toBe(10);
    expect(await stack.query('order', `SELECT status FROM outbox WHERE dedupe_key = $1`, [`stock-release:${id}`])).toEqual([
      { status: 'sent' },
    ]);
  });

  it('refuses an unpaired surrogate in a shipping address with a 400 naming the field', async () => {
    const res = await stack
      .api('order')
      .post(
        '/api/orders',
        JSON.stringify({ items: [{ productId: ids.productId, quantity: 1 }], shippingAddress: { ...address, line1: '\ud800x' } }),
        {
          headers: { ...customer.auth, 'Content-Type': 'application/json' },
        },
      );
    expect(res.status).toBe(400);
    expect(res.data.details).toEqual([expect.objectContaining({ path: 'body.shippingAddress.line1' })]);
  });
});
