import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  AppError,
  BadGatewayError,
  mayHaveReachedTarget,
  ServiceTimeoutError,
  ServiceUnavailableError,
  UnauthorizedError,
  UpstreamRejectionError,
} from '@shop/errors';
import { runWithRequestContext } from '@shop/observability';
import { waitFor } from '@shop/test-kit';
import { HttpServiceClient } from './http-service-client';
import { createUserServiceClient } from './create-clients';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** A real HTTP server on a free port whose behaviour each test sets. */
async function startServer(handler: Handler): Promise<{ url: string; server: Server; hits: () => number; setHandler(h: Handler): void }> {
  let current = handler;
  let hits = 0;
  const server = createServer((req, res) => {
    hits += 1;
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => current(req, res, body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    hits: () => hits,
    setHandler: (h) => {
      current = h;
    },
  };
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

function client(url: string, overrides: Partial<ConstructorParameters<typeof HttpServiceClient>[0]> = {}) {
  return new HttpServiceClient({
    service: 'test-service',
    displayName: 'Test service',
    baseURL: url,
    internalKey: 'k1',
    timeoutMs: 500,
    retry: { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 20 },
    breaker: { consecutiveFailures: 3, halfOpenAfterMs: 300 },
    ...overrides,
  });
}

describe('HttpServiceClient', () => {
  const servers: Server[] = [];
  const clients: HttpServiceClient[] = [];
  const track = <T extends { server: Server }>(s: T) => (servers.push(s.server), s);
  const make = (...args: Parameters<typeof client>) => {
    const c = client(...args);
    clients.push(c);
    return c;
  };

  afterAll(async () => {
    clients.forEach((c) => c.close());
    await Promise.all(
      servers.map((s) => {
        s.closeAllConnections();
        return new Promise((r) => s.close(r));
      }),
    );
  });

  it('sends each call with its own bearer token and request id, even 100 at once', async () => {
    const srv = track(
      await startServer((req, res) =>
        json(res, 200, {
          success: true,
          data: { authorization: req.headers.authorization, requestId: req.headers['x-request-id'], key: req.headers['x-internal-key'] },
        }),
      ),
    );
    // A timeout far above the suite's 500 ms: on a loaded machine 100 calls at once may take that
    // long, and timeouts would open the circuit, which is not what this test is about.
    const c = make(srv.url, { timeoutMs: 10_000 });
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        runWithRequestContext({ requestId: `req-${i}` }, () =>
          c.call<{ authorization: string; requestId: string; key: string }>({ method: 'GET', path: '/echo', token: `token-${i}` }),
        ),
      ),
    );
    results.forEach((r, i) => {
      expect(r.authorization).toBe(`Bearer token-${i}`);
      expect(r.requestId).toBe(`req-${i}`);
      expect(r.key).toBe('k1');
    });
  });

  it('ends a call to a hung server at the timeout with a typed error', async () => {
    const srv = track(await startServer(() => undefined /* never answers */));
    const c = make(srv.url, { retry: { maxAttempts: 1 } });
    const error = await c.call({ method: 'GET', path: '/hang' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceTimeoutError);
    expect(error).toMatchObject({ status: 504, code: 'SERVICE_TIMEOUT', service: 'test-service' });
  });

  it('opens the breaker after repeated failures, fails fast without the network, and closes after recovery', async () => {
    const srv = track(await startServer((_req, res) => json(res, 500, { success: false, error: 'boom', code: 'INTERNAL_ERROR' })));
    const c = make(srv.url, { retry: { maxAttempts: 1 } });
    for (let i = 0; i < 3; i++) {
      await expect(c.call({ method: 'GET', path: '/x' })).rejects.toMatchObject({ status: 502 });
    }
    expect(c.circuitState).toBe('open');
    const hitsWhenOpen = srv.hits();
    const fast = await c.call({ method: 'GET', path: '/x' }).catch((e: unknown) => e);
    expect(fast).toBeInstanceOf(ServiceUnavailableError);
    expect((fast as AppError).message).toMatch(/Test service.*circuit open/);
    expect(srv.hits()).toBe(hitsWhenOpen);

    srv.setHandler((_req, res) => json(res, 200, { success: true, data: { ok: true } }));
    const recovered = await waitFor(() => c.call<{ ok: boolean }>({ method: 'GET', path: '/x' }).catch(() => undefined), {
      timeoutMs: 5000,
      intervalMs: 50,
      what: 'the breaker to close',
    });
    expect(recovered).toEqual({ ok: true });
    expect(c.circuitState).toBe('closed');
  });

  it('never retries a POST without an idempotency key, and retries one with a key', async () => {
    const srv = track(await startServer((_req, res) => json(res, 503, { success: false, error: 'busy', code: 'SERVICE_UNAVAILABLE' })));
    const c = make(srv.url, { breaker: { consecutiveFailures: 100 } });
    await expect(c.call({ method: 'POST', path: '/orders', body: {} })).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(srv.hits()).toBe(1);
    await expect(c.call({ method: 'POST', path: '/orders', body: {}, idempotencyKey: 'abc' })).rejects.toBeInstanceOf(
      ServiceUnavailableError,
    );
    expect(srv.hits()).toBe(1 + 3);
  });

  it('maps a 4xx envelope to an error with the upstream status and code, without retrying', async () => {
    const srv = track(
      await startServer((_req, res) => json(res, 409, { success: false, error: 'Not enough Laptop', code: 'INSUFFICIENT_STOCK' })),
    );
    const c = make(srv.url);
    const error = await c.call({ method: 'GET', path: '/p' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamRejectionError);
    expect(error).toMatchObject({ status: 409, code: 'INSUFFICIENT_STOCK', message: 'Not enough Laptop' });
    expect(srv.hits()).toBe(1);
    expect(c.circuitState).toBe('closed');
  });

  it('reports a refused connection as 503 naming the service', async () => {
    const srv = track(await startServer(() => undefined));
    const url = srv.url;
    await new Promise((r) => srv.server.close(r));
    const c = make(url, { retry: { maxAttempts: 2, initialDelayMs: 5 } });
    const error = await c.call({ method: 'GET', path: '/x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as AppError).message).toContain('Test service');
    // Every attempt was refused: the target never saw the call, so there is nothing to undo.
    expect(error).toMatchObject({ mayHaveReachedTarget: false });
  });

  it('says a call may have arrived when an attempt timed out or got an answer, and that an open circuit sent nothing', async () => {
    const hung = track(await startServer(() => undefined));
    const slow = make(hung.url, { timeoutMs: 100, retry: { maxAttempts: 1 } });
    const timedOut = await slow.call({ method: 'GET', path: '/x' }).catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(ServiceTimeoutError);
    expect(timedOut).toMatchObject({ mayHaveReachedTarget: true });

    const failing = track(await startServer((_req, res) => json(res, 500, { success: false, error: 'boom', code: 'INTERNAL_ERROR' })));
    const c = make(failing.url, { retry: { maxAttempts: 1 } });
    for (let i = 0; i < 3; i++)
      expect(await c.call({ method: 'GET', path: '/x' }).catch((e: unknown) => e)).toMatchObject({ mayHaveReachedTarget: true });
    const fast = await c.call({ method: 'GET', path: '/x' }).catch((e: unknown) => e);
    expect(c.circuitState).toBe('open');
    expect(fast).toMatchObject({ mayHaveReachedTarget: false });
  });

  it('keeps the fact through a wrapping error, read down its cause chain', async () => {
    const srv = track(await startServer(() => undefined));
    const url = srv.url;
    await new Promise((r) => srv.server.close(r));
    const refused = await make(url, { retry: { maxAttempts: 1 } })
      .call({ method: 'GET', path: '/x' })
      .catch((e: unknown) => e);
    const wrapped = new BadGatewayError('order-service', 'placing failed', { cause: new Error('context', { cause: refused }) });
    expect(mayHaveReachedTarget(new Error('context', { cause: refused }))).toBe(false);
    // A wrapper that says for itself wins over its cause; one that does not passes the cause's on.
    expect(wrapped.mayHaveReachedTarget).toBe(true);
    expect(mayHaveReachedTarget(new Error('unrelated'))).toBe(true);
  });

  it('says a call may have arrived when an earlier attempt was cut mid-way, even if the last one was refused', async () => {
    const server: Awaited<ReturnType<typeof startServer>> = track(
      await startServer(() => {
        // The first attempt arrives and its connection is cut; the server is gone, so the retry is refused.
        server.server.close();
        server.server.closeAllConnections();
      }),
    );
    const c = make(server.url, { retry: { maxAttempts: 2, initialDelayMs: 5 } });
    const error = await c.call({ method: 'GET', path: '/x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({ mayHaveReachedTarget: true });
    expect(mayHaveReachedTarget(error)).toBe(true);
  });

  it('turns a refused user token into our own 401', async () => {
    const srv = track(await startServer((_req, res) => json(res, 401, { success: false, error: 'Invalid token', code: 'INVALID_TOKEN' })));
    const users = createUserServiceClient(srv.url, { internalApiKey: 'k1,k0' });
    clients.push(users.http);
    const error = await users.validateToken('bad').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
  });

  it('reports our own refused internal key as a 502, not as the user being unauthorised', async () => {
    const srv = track(await startServer((_req, res) => json(res, 401, { success: false, error: 'bad key', code: 'INVALID_INTERNAL_KEY' })));
    const c = make(srv.url);
    await expect(c.call({ method: 'GET', path: '/x' })).rejects.toMatchObject({ status: 502, code: 'SERVICE_AUTH_FAILED' });
  });

  it('asks the User service on every request when the token cache is off (TOKEN_CACHE_TTL_MS=0)', async () => {
    const user = { id: 'u1', email: 'a@b.c', firstName: 'A', lastName: 'B', role: 'customer' };
    const srv = track(await startServer((_req, res) => json(res, 200, { success: true, data: { user } })));
    const users = createUserServiceClient(srv.url, { internalApiKey: 'k1' }, { tokenCacheTtlMs: 0 });
    clients.push(users.http);
    for (let i = 0; i < 3; i++) await users.validateToken('t1');
    expect(srv.hits()).toBe(3);
  });

  it('shares one validation between concurrent requests and reuses it within its time to live', async () => {
    const user = { id: 'u1', email: 'a@b.c', firstName: 'A', lastName: 'B', role: 'customer' };
    const srv = track(await startServer((_req, res) => json(res, 200, { success: true, data: { user } })));
    const users = createUserServiceClient(srv.url, { internalApiKey: 'k1' }, { tokenCacheTtlMs: 60_000 });
    clients.push(users.http);
    await Promise.all([users.validateToken('t1'), users.validateToken('t1')]);
    await users.validateToken('t1');
    await users.validateToken('t2');
    expect(srv.hits()).toBe(2);
  });
});
