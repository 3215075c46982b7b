import express from 'express';
import request from 'supertest';
import { ConflictError } from '@shop/errors';
import { createSilentLogger, Metrics } from '@shop/observability';
import { z } from 'zod';
import { applyCommonMiddleware, applyErrorHandling, requireInternalKey, requireUser, validate } from './index';
import { healthRoutes } from '@shop/http-kit';

function buildApps() {
  const app = express();
  const logger = createSilentLogger();
  const metrics = new Metrics('test', { defaultMetrics: false });
  applyCommonMiddleware(app, { logger, metrics, bodyLimit: '1kb' });
  app.use(
    healthRoutes({
      service: 'test',
      checks: { good: async () => true, bad: async () => Promise.reject(new Error('down')) },
      dependencies: { 'other-service': async () => Promise.reject(new Error('refused')) },
    }),
  );
  const onlyDependencyDown = express();
  onlyDependencyDown.use(
    healthRoutes({
      service: 'test',
      checks: { db: async () => true },
      dependencies: { 'other-service': async () => Promise.reject(new Error('refused')) },
    }),
  );
  app.get('/internal', requireInternalKey(['new-key', 'old-key']), (_req, res) => {
    res.json({ success: true, data: {} });
  });
  let verified = 0;
  app.get(
    '/me',
    requireUser(async (token) => {
      verified += 1;
      if (token !== 'good.token.here') throw new ConflictError('unexpected token', { code: 'UNEXPECTED' });
      return { id: 'u', email: 'u@x.io', role: 'customer' };
    }),
    (_req, res) => {
      res.json({ success: true, data: { verified } });
    },
  );
  app.get('/conflict', () => {
    throw new ConflictError('Already there', { code: 'ALREADY_THERE' });
  });
  app.get('/bug', async () => {
    throw new Error('secret internals');
  });
  const orders = express.Router();
  // Registered after the templated GET on purpose: the concrete path must win all the same.
  orders.get('/:id', () => {
    throw new ConflictError('Busy', { code: 'BUSY' });
  });
  orders.post('/lookup', (_req, res) => {
    res.json({ success: true, data: {} });
  });
  app.use('/api/orders', orders);
  app.post('/items', validate({ body: z.strictObject({ name: z.string().min(1) }) }), (req, res) => {
    res.status(201).json({ success: true, data: { item: req.body } });
  });
  applyErrorHandling(app, logger);
  return { app, onlyDependencyDown };
}

describe('express-kit', () => {
  const { app, onlyDependencyDown } = buildApps();

  it.each([
    ['missing', undefined],
    ['wrong', 'nope'],
  ])('rejects a %s internal key with 401 in the envelope', async (_label, key) => {
    const req = request(app).get('/internal').set('X-Request-Id', 'abc-123');
    const res = await (key ? req.set('X-Internal-Key', key) : req);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ success: false, error: expect.any(String), code: 'INVALID_INTERNAL_KEY', requestId: 'abc-123' });
  });

  it('accepts every key of a rotation list', async () => {
    expect((await request(app).get('/internal').set('X-Internal-Key', 'old-key')).status).toBe(200);
    expect((await request(app).get('/internal').set('X-Internal-Key', 'new-key')).status).toBe(200);
  });

  it('answers an oversized or malformed bearer token with 401 INVALID_TOKEN, without asking anyone to verify it', async () => {
    const good = await request(app).get('/me').set('Authorization', 'Bearer good.token.here');
    expect(good.status).toBe(200);
    for (const token of ['a'.repeat(4097), 'a"b<c>', 'good.token.here\\']) {
      const res = await request(app).get('/me').set('Authorization', `Bearer ${token}`);
      expect({ length: token.length, status: res.status, code: res.body.code }).toEqual({
        length: token.length,
        status: 401,
        code: 'INVALID_TOKEN',
      });
    }
    expect((await request(app).get('/me').set('Authorization', 'Bearer good.token.here')).body.data.verified).toBe(
      good.body.data.verified + 1,
    );
  });

  it('turns an error thrown in a handler into the envelope with the request id', async () => {
    const res = await request(app).get('/conflict');
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ success: false, error: 'Already there', code: 'ALREADY_THERE', requestId: res.headers['x-request-id'] });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('hides a bug behind a 500 envelope', async () => {
    const res = await request(app).get('/bug');
    expect(res.status).toBe(500);
    expect(res.body.code).toBe('INTERNAL_ERROR');
    expect(res.text).not.toContain('secret internals');
  });

  it('answers invalid input, malformed JSON and oversized bodies with 4xx envelopes', async () => {
    const invalid = await request(app).post('/items').send({ name: '', $where: 'x' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe('VALIDATION_FAILED');
    expect(invalid.body.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['body.name', 'body']));

    const malformed = await request(app).post('/items').set('content-type', 'application/json').send('{"name":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('MALFORMED_JSON');

    const large = await request(app)
      .post('/items')
      .send({ name: 'x'.repeat(5000) });
    expect(large.status).toBe(413);
    expect(large.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses NUL characters in the body and the query with a 400 naming where', async () => {
    const body = await request(app).post('/items').send({ name: 'a\u0000b' });
    expect(body.status).toBe(400);
    expect(body.body.details).toEqual([expect.objectContaining({ path: 'body.name' })]);
    const key = await request(app)
      .post('/items')
      .send({ name: 'ok', meta: { 'k\u0000': 1 } });
    expect(key.body.details).toEqual([expect.objectContaining({ path: 'body.meta.k\u0000' })]);
    const query = await request(app).post('/items?search=x%00y').send({ name: 'ok' });
    expect(query.status).toBe(400);
    expect(query.body.details).toEqual([expect.objectContaining({ path: 'query.search' })]);
  });

  describe('input no parser or store can take', () => {
    // The default 100 kb limit: room for far deeper nesting than the 1 kb app above.
    const wide = express();
    applyCommonMiddleware(wide, { logger: createSilentLogger(), metrics: new Metrics('test', { defaultMetrics: false }) });
    wide.post('/items', (req, res) => {
      res.status(201).json({ success: true, data: { item: req.body } });
    });
    applyErrorHandling(wide, createSilentLogger());
    const post = (raw: string) => request(wide).post('/items').set('content-type', 'application/json').send(raw);

    it('refuses a body of ~24 KB of nested brackets with a 400, not a stack overflow', async () => {
      const res = await post('['.repeat(12_000) + ']'.repeat(12_000));
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        success: false,
        error: 'The request is invalid',
        code: 'VALIDATION_FAILED',
        details: [{ path: expect.stringMatching(/^body(\.0)+$/), message: 'must not be nested more than 32 levels deep' }],
        requestId: expect.any(String),
      });
    });

    it('takes 32 levels of nesting and refuses 33', async () => {
      expect((await post('['.repeat(32) + ']'.repeat(32))).status).toBe(201);
      expect((await post('{"a":'.repeat(32) + '1' + '}'.repeat(32))).status).toBe(201);
      expect((await post('{"a":'.repeat(33) + '1' + '}'.repeat(33))).status).toBe(400);
    });

    it('refuses an unpaired UTF-16 surrogate in a nested string or key with a 400 naming it, and takes a paired one', async () => {
      const lone = await post('{"address":{"line1":"\\ud800x"}}');
      expect(lone.status).toBe(400);
      expect(lone.body.details).toEqual([{ path: 'body.address.line1', message: expect.stringContaining('unpaired UTF-16 surrogate') }]);
      const lowAlone = await post('{"lines":[{"note":"x\\udc00"}]}');
      expect(lowAlone.body.details).toEqual([expect.objectContaining({ path: 'body.lines.0.note' })]);
      const key = await post('{"meta":{"k\\udfff":1}}');
      expect(key.body.details).toEqual([expect.objectContaining({ path: 'body.meta.k\udfff' })]);
      const paired = await post('{"name":"\\ud83d\\ude00"}');
      expect(paired.status).toBe(201);
      expect(paired.body.data.item.name).toBe('\u{1f600}');
    });

    it('refuses a number beyond a double (JSON.parse makes 1e400 Infinity) with a 400 naming it', async () => {
      const res = await post('{"price":{"amount":-1e400}}');
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ path: 'body.price.amount', message: expect.stringContaining('finite') }]);
    });
  });

  it('answers unknown routes with a 404 envelope', async () => {
    const res = await request(app).get('/nowhere');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('ROUTE_NOT_FOUND');
  });

  it.each([
    ['delete', '/internal', 'GET, HEAD'],
    ['put', '/items', 'POST'],
    ['post', '/api/orders/o-1', 'GET, HEAD'],
    ['patch', '/health/ready', 'GET, HEAD'],
    ['post', '/metrics', 'GET, HEAD'],
    // A concrete path hides the templated one that also matches it (`/:id` takes GET).
    ['get', '/api/orders/lookup', 'POST'],
    ['delete', '/api/orders/lookup', 'POST'],
  ] as const)('answers %s %s, a path that exists with other methods, with 405 and Allow: %s', async (method, path, allow) => {
    const res = await request(app)[method](path).set('X-Request-Id', 'req-405');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe(allow);
    expect(res.body).toEqual({ success: false, error: expect.any(String), code: 'METHOD_NOT_ALLOWED', requestId: 'req-405' });
  });

  it('keeps 404 for a method on a path no route has, and serves the methods a path has', async () => {
    expect((await request(app).delete('/nowhere')).status).toBe(404);
    expect((await request(app).post('/api/orders/o-1/extra')).status).toBe(404);
    expect((await request(app).head('/health')).status).toBe(200);
    expect((await request(app).post('/api/orders/lookup')).status).toBe(200);
    expect((await request(app).get('/api/orders/o-1')).body.code).toBe('BUSY');
  });

  it('reports liveness, and readiness per dependency', async () => {
    expect((await request(app).get('/health')).status).toBe(200);
    const ready = await request(app).get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.data.checks).toMatchObject({
      good: { status: 'up', required: true },
      bad: { status: 'down', required: true, error: 'down' },
      'other-service': { status: 'down', required: false, error: 'refused' },
    });
  });

  it('stays ready, but degraded, while only a service it calls is down', async () => {
    const ready = await request(onlyDependencyDown).get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.data).toMatchObject({ status: 'ready', degraded: true, checks: { 'other-service': { status: 'down' } } });
  });

  it('counts requests by route template in /metrics', async () => {
    await request(app).get('/conflict');
    const res = await request(app).get('/metrics');
    expect(res.text).toMatch(/http_requests_total\{[^}]*route="\/conflict"[^}]*status="409"/);
  });

  it('labels a failed request in a mounted router with its full route template', async () => {
    await request(app).get('/api/orders/123');
    const res = await request(app).get('/metrics');
    expect(res.text).toMatch(/http_requests_total\{[^}]*route="\/api\/orders\/:id"[^}]*status="409"/);
  });
});
