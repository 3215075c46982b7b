import { waitFor } from '@shop/test-kit';
import { Stack, startStack } from '../harness/stack';
import { startZipkin, ZipkinServer, ZipkinSpan } from '../harness/zipkin';
import { awaitEmail, placeOrder } from '../orders/order-helpers';

/** One span a line, indented under its parent: for a failing assertion's message. */
function render(spans: ZipkinSpan[]): string {
  const children = new Map<string | undefined, ZipkinSpan[]>();
  for (const s of spans) children.set(s.parentId, [...(children.get(s.parentId) ?? []), s]);
  const ids = new Set(spans.map((s) => s.id));
  const lines: string[] = [];
  const walk = (span: ZipkinSpan, depth: number) => {
    const tags = Object.entries(span.tags ?? {})
      .filter(([k]) => /status|error|db\.system|route|url\.full/.test(k))
      .map(([k, v]) => `${k}=${v.slice(0, 80)}`)
      .join(' ');
    lines.push(`${'  '.repeat(depth)}${span.localEndpoint?.serviceName} ${span.kind ?? 'LOCAL'} "${span.name}" ${tags}`);
    for (const c of children.get(span.id) ?? []) walk(c, depth + 1);
  };
  for (const root of spans.filter((s) => !s.parentId || !ids.has(s.parentId))) walk(root, 0);
  return lines.join('\n');
}

/** Finds spans of one trace by what they are and where they hang, never by their order. */
function traceOf(spans: ZipkinSpan[]) {
  const byId = new Map(spans.map((s) => [s.id, s]));
  const isUnder = (span: ZipkinSpan, ancestor: ZipkinSpan) => {
    for (let p = span.parentId; p; p = byId.get(p)?.parentId) if (p === ancestor.id) return true;
    return false;
  };
  const tag = (s: ZipkinSpan, ...names: string[]) => names.map((n) => s.tags?.[n]).find((v) => v !== undefined);
  const service = (s: ZipkinSpan) => s.localEndpoint?.serviceName;
  return {
    tag,
    /** The one span matching `match` below `under` (anywhere in the trace without it); throws with the tree otherwise. */
    find(what: string, match: (s: ZipkinSpan) => boolean, under?: ZipkinSpan): ZipkinSpan {
      const found = spans.filter((s) => match(s) && (!under || isUnder(s, under)));
      if (found.length === 0)
        throw new Error(`no span for ${what}${under ? ` under "${under.name}"` : ''} in the trace:\n${render(spans)}`);
      return found[0];
    },
    server: (name: string, route: string | RegExp) => (s: ZipkinSpan) =>
      service(s) === name &&
      s.kind === 'SERVER' &&
      (typeof route === 'string' ? tag(s, 'http.route') === route : route.test(tag(s, 'http.route') ?? '')),
    client: (name: string, path: string) => (s: ZipkinSpan) =>
      service(s) === name && s.kind === 'CLIENT' && (tag(s, 'url.full', 'http.url') ?? '').includes(path),
    db: (name: string, system: string, statement?: RegExp) => (s: ZipkinSpan) =>
      service(s) === name &&
      tag(s, 'db.system.name', 'db.system') === system &&
      (!statement || statement.test(tag(s, 'db.query.text', 'db.statement') ?? '')),
    named: (name: string, spanName: string) => (s: ZipkinSpan) => service(s) === name && s.name === spanName,
    services: () => new Set(spans.map(service)),
  };
}

/**
 * Tracing on, into a real Zipkin: one order's trace, read back through Zipkin's API, holds every
 * hop of the order across the four services, the asynchronous ones (outbox, Bull job) included.
 */
describe('one order, one trace across the four services (Zipkin)', () => {
  let zipkin: ZipkinServer;
  let stack: Stack;
  beforeAll(async () => {
    zipkin = await startZipkin();
    stack = await startStack({ tracing: zipkin });
  }, 240_000);
  afterAll(async () => {
    await stack?.close();
    await zipkin?.close();
  }, 60_000);

  /** Spans arrive in batches from four processes: polls until `complete` holds for the trace. */
  const traceWhen = (traceId: string, what: string, complete: (spans: ZipkinSpan[]) => boolean) =>
    waitFor(
      async () => {
        const spans = await zipkin.trace(traceId);
        return complete(spans) && spans;
      },
      { timeoutMs: 30_000, intervalMs: 250, what },
    ).catch(async (err: Error) => {
      throw new Error(`${err.message}; the trace so far:\n${render(await zipkin.trace(traceId))}`);
    });

  it('places an order: the request, token check, Product call and SQL, order SQL, outbox relay, storage, queueing, delivery job and SMTP send', async () => {
    // A new customer: its token is not cached yet, so the Order service asks the User service.
    const customer = await stack.registerUser();
    const product = await stack.createProduct({ price: 12.5, stock: 5 });
    const res = await placeOrder(stack, customer, [{ productId: product.id, quantity: 2 }]);
    expect(res.status).toBe(201);
    const traceId = res.headers['x-trace-id'] as string;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    await awaitEmail(stack, res.data.data.order.id, 'Order confirmed');

    // Complete when the last hop (the SMTP send, then the delivery's write of `sent`) is in.
    const spans = await traceWhen(traceId, `the SMTP send in trace ${traceId}`, (s) =>
      s.some(
        (x) =>
          x.name === 'smtp send' && s.some((y) => y.parentId === x.parentId && /^(update|bulkwrite) notifications$/.test(y.name ?? '')),
      ),
    );
    const t = traceOf(spans);
    expect(spans.every((s) => s.traceId === traceId)).toBe(true);
    expect(t.services()).toEqual(new Set(['order-service', 'user-service', 'product-service', 'notification-service']));

    const root = t.find('the order request', t.server('order-service', '/api/orders'));
    expect(root.parentId).toBeUndefined();
    expect(t.tag(root, 'http.response.status_code', 'http.status_code')).toBe('201');
    // Every other span hangs from it: one tree, nothing detached.
    const ids = new Set(spans.map((s) => s.id));
    expect(spans.filter((s) => s !== root && !(s.parentId && ids.has(s.parentId))).map((s) => s.name)).toEqual([]);

    const tokenCall = t.find('the token check call', t.client('order-service', '/api/users/internal/validate-token'), root);
    t.find('the token check at the User service', t.server('user-service', '/api/users/internal/validate-token'), tokenCall);

    const reserveCall = t.find('the reservation call', t.client('order-service', '/api/reservations'), root);
    const reserve = t.find('the reservation at the Product service', t.server('product-service', '/api/reservations'), reserveCall);
    t.find("the reservation's SQL", t.db('product-service', 'postgresql'), reserve);

    t.find("the order's SQL", t.db('order-service', 'postgresql', /\borders\b/), root);
    t.find('the outbox row', t.db('order-service', 'postgresql', /INSERT INTO outbox/), root);

    // The relay delivers later, from a poll loop, yet in the order's trace (the row kept its context).
    const relay = t.find('the outbox delivery', t.named('order-service', 'outbox deliver'), root);
    const notifyCall = t.find("the relay's call", t.client('order-service', '/api/notifications'), relay);
    const notify = t.find('the notification request', t.server('notification-service', /^\/api\/notifications(\/batch)?$/), notifyCall);
    t.find("the relay's bookkeeping SQL", t.db('order-service', 'postgresql', /UPDATE "?outbox"?/), relay);

    t.find("the notification's storage", t.db('notification-service', 'mongodb'), notify);
    t.find('the queueing in Redis', t.db('notification-service', 'redis'), notify);

    // The Bull job runs in the worker, yet in the trace of the request that queued it.
    const job = t.find('the delivery job', t.named('notification-service', 'notification deliver'), notify);
    expect(job.kind).toBe('CONSUMER');
    // The confirmation carries the customer's address from the token check: no look-up at the User service.
    expect(spans.filter((x) => x.localEndpoint?.serviceName === 'user-service' && /internal\/:userId/.test(x.name ?? ''))).toEqual([]);
    const smtp = t.find('the SMTP send', t.named('notification-service', 'smtp send'), job);
    expect(smtp.kind).toBe('CLIENT');
    expect(smtp.tags?.['otel.status_code']).not.toBe('ERROR');
  }, 120_000);

  it('a failed call (the Product service stopped) shows as error spans, the request answering 503', async () => {
    const customer = await stack.registerUser();
    const product = await stack.createProduct({ price: 3, stock: 5 });
    await stack.stop('product');
    try {
      const res = await placeOrder(stack, customer, [{ productId: product.id, quantity: 1 }]);
      expect(res.status).toBe(503);
      const traceId = res.headers['x-trace-id'] as string;
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);

      const spans = await traceWhen(traceId, `the failed order's request span in trace ${traceId}`, (s) =>
        s.some((x) => x.kind === 'SERVER' && x.localEndpoint?.serviceName === 'order-service'),
      );
      const t = traceOf(spans);
      const root = t.find('the order request', t.server('order-service', '/api/orders'));
      expect(t.tag(root, 'http.response.status_code', 'http.status_code')).toBe('503');
      expect(root.tags?.['otel.status_code']).toBe('ERROR');
      // The call that could not reach the Product service failed too.
      const failedCall = t.find(
        'the failed Product call',
        (s) => t.client('order-service', '/api/products')(s) || t.client('order-service', '/api/reservations')(s),
        root,
      );
      expect(failedCall.tags?.['otel.status_code']).toBe('ERROR');
      expect(failedCall.tags?.error ?? '').toMatch(/ECONNREFUSED|connect/i);
    } finally {
      await stack.start('product');
    }
  }, 120_000);
});
