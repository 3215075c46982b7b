import { createUseCases } from './app';
import {
  INTERNAL_KEY,
  registerUser,
  RegisteredUser,
  SECRET_PATTERN,
  startTestApp,
  storedUser as readStoredUser,
  STRONG_PASSWORD,
  TestApp,
  uniqueEmail,
  useTestApp,
} from './app.test-helpers';
import { userModel } from './users/user.model';

const app = useTestApp({ BODY_LIMIT: '2kb' });
let user: RegisteredUser;

beforeAll(async () => {
  user = await registerUser(app);
});

const countUsers = () => userModel(app.connection).countDocuments();
const storedUser = () => readStoredUser(app, user.id);

describe('hostile and malformed input', () => {
  it.each([
    ['register', '/api/users/register', { firstName: 'A', lastName: 'B', email: { $gt: '' }, password: STRONG_PASSWORD }],
    ['register', '/api/users/register', { firstName: 'A', lastName: 'B', email: uniqueEmail(), password: STRONG_PASSWORD, $where: '1' }],
    ['login', '/api/users/login', { email: { $gt: '' }, password: { $gt: '' } }],
    ['login', '/api/users/login', { email: { $ne: null }, password: STRONG_PASSWORD }],
    ['login', '/api/users/login', { email: 'ann@example.com', password: { $exists: true } }],
  ])('refuses NoSQL operators on %s with 400 and changes nothing', async (_route, path, body) => {
    const before = await countUsers();
    const res = await app.http.post(path).send(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ success: false, code: 'VALIDATION_FAILED' });
    expect(res.body.data).toBeUndefined();
    expect(await countUsers()).toBe(before);
  });

  it('refuses NoSQL operators on a login for a known account', async () => {
    const res = await app.http.post('/api/users/login').send({ email: user.email, password: { $gt: '' } });
    expect(res.status).toBe(400);
    expect(res.text).not.toContain('token');
  });

  it('refuses NoSQL operators on profile updates and validate-token', async () => {
    const before = await storedUser();
    const profile = await app.http
      .put('/api/users/profile')
      .set('Authorization', `Bearer ${user.token}`)
      .send({ firstName: { $set: 'x' } });
    expect(profile.status).toBe(400);
    const token = await app.http
      .post('/api/users/internal/validate-token')
      .set('X-Internal-Key', INTERNAL_KEY)
      .send({ token: { $gt: '' } });
    expect(token.status).toBe(400);
    expect(await storedUser()).toEqual(before);
  });

  it('refuses invalid JSON with 400 MALFORMED_JSON', async () => {
    const before = await countUsers();
    const res = await app.http.post('/api/users/register').set('Content-Type', 'application/json').send('{"email": "a@b.c", "password": ');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ success: false, code: 'MALFORMED_JSON', requestId: expect.any(String) });
    expect(await countUsers()).toBe(before);
  });

  it.each([
    ['an array', [{ email: 'a@b.c' }]],
    ['numbers for strings', { firstName: 1, lastName: 2, email: 3, password: 4 }],
    ['null fields', { firstName: null, lastName: null, email: null, password: null }],
  ])('refuses %s as a registration with 400', async (_case, body) => {
    const before = await countUsers();
    const res = await app.http.post('/api/users/register').send(body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(await countUsers()).toBe(before);
  });

  it('refuses a body that is not JSON with 400', async () => {
    const res = await app.http.post('/api/users/login').set('Content-Type', 'text/plain').send('email=a@b.c&password=x');
    expect(res.status).toBe(400);
  });

  it('refuses a body over BODY_LIMIT with 413 and changes nothing', async () => {
    const before = await countUsers();
    const res = await app.http
      .post('/api/users/register')
      .send({ firstName: 'A'.repeat(4000), lastName: 'B', email: uniqueEmail(), password: STRONG_PASSWORD });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ success: false, code: 'PAYLOAD_TOO_LARGE' });
    expect(await countUsers()).toBe(before);
  });

  it('answers an unknown route with a 404 envelope', async () => {
    const res = await app.http.get('/api/users/nope/nope');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ success: false, code: 'ROUTE_NOT_FOUND' });
  });

  it('echoes the caller X-Request-Id in errors', async () => {
    const res = await app.http.post('/api/users/login').set('X-Request-Id', 'req-123').send({});
    expect(res.headers['x-request-id']).toBe('req-123');
    expect(res.body.requestId).toBe('req-123');
  });
});

describe('the password hash never leaves the service', () => {
  it('appears in no response of any endpoint', async () => {
    const { users } = createUseCases(app.config, app.connection);
    const adminEmail = uniqueEmail('admin');
    await users.seedAdmin.execute(adminEmail, 'admin-passphrase-1');
    const admin = await app.http.post('/api/users/login').send({ email: adminEmail, password: 'admin-passphrase-1' });
    const fresh = uniqueEmail('secrets');

    const responses = [
      await app.http.post('/api/users/register').send({ firstName: 'S', lastName: 'T', email: fresh, password: STRONG_PASSWORD }),
      await app.http.post('/api/users/register').send({ firstName: 'S', lastName: 'T', email: fresh, password: STRONG_PASSWORD }),
      await app.http.post('/api/users/login').send({ email: fresh, password: STRONG_PASSWORD }),
      await app.http.post('/api/users/login').send({ email: fresh, password: 'wrong-password-1' }),
      await app.http.get('/api/users/profile').set('Authorization', `Bearer ${user.token}`),
      await app.http.put('/api/users/profile').set('Authorization', `Bearer ${user.token}`).send({ lastName: 'Secretless' }),
      await app.http.get(`/api/users/internal/${user.id}`).set('X-Internal-Key', INTERNAL_KEY),
      await app.http.post('/api/users/internal/validate-token').set('X-Internal-Key', INTERNAL_KEY).send({ token: user.token }),
      await app.http.get('/api/users?limit=100').set('Authorization', `Bearer ${admin.body.data.token}`),
    ];
    expect(responses.map((r) => r.status)).toEqual([201, 409, 200, 401, 200, 200, 200, 200, 200]);
    for (const res of responses) expect(res.text).not.toMatch(SECRET_PATTERN);
    // The guard is real: the stored documents do hold a hash.
    expect(JSON.stringify(await userModel(app.connection).find().lean())).toMatch(SECRET_PATTERN);
  });

  it('hides it even when a document is serialised by accident', async () => {
    const doc = await userModel(app.connection).findById(user.id);
    const json = JSON.stringify(doc);
    expect(json).not.toMatch(SECRET_PATTERN);
    expect(JSON.parse(json)).toMatchObject({ id: user.id, email: user.email });
  });
});

describe('operations', () => {
  it('reports liveness and MongoDB readiness', async () => {
    const live = await app.http.get('/health');
    expect(live.status).toBe(200);
    expect(live.body.data.status).toBe('ok');
    const ready = await app.http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.data.checks.mongodb.status).toBe('up');
  });

  it('exposes Prometheus metrics by route template', async () => {
    await app.http.get(`/api/users/internal/${user.id}`).set('X-Internal-Key', INTERNAL_KEY);
    const res = await app.http.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('route="/api/users/internal/:userId"');
  });

  it('sets security headers', async () => {
    const res = await app.http.get('/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('serves the OpenAPI document with every route, both auth schemes and the error envelope', async () => {
    const res = await app.http.get('/api-docs.json');
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toBe('3.0.3');
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearerAuth', 'internalKey']);
    expect(doc.components.securitySchemes.internalKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-Internal-Key' });
    const operations = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        'POST /api/users/register',
        'POST /api/users/login',
        'GET /api/users/profile',
        'PUT /api/users/profile',
        'GET /api/users',
        'GET /api/users/internal/{userId}',
        'POST /api/users/internal/validate-token',
        'GET /health',
        'GET /health/ready',
        'GET /metrics',
      ].sort(),
    );
    expect(doc.paths['/api/users/internal/{userId}'].get.security).toEqual([{ internalKey: [] }]);
    expect(doc.paths['/api/users/profile'].put.security).toEqual([{ bearerAuth: [] }]);
    expect(doc.components.schemas.RegisterRequest).toMatchObject({
      additionalProperties: false,
      required: expect.arrayContaining(['email', 'password']),
    });
    expect(doc.components.schemas.UpdateProfileRequest.properties.role).toBeUndefined();
    expect(doc.components.schemas.User.properties.passwordHash).toBeUndefined();
    expect(doc.components.schemas.ErrorEnvelope.required).toEqual(expect.arrayContaining(['success', 'error', 'code', 'requestId']));
    expect(doc.paths['/api/users/register'].post.responses['409'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/ErrorEnvelope',
    });
  });

  it('serves Swagger UI at /api-docs', async () => {
    const res = await app.http.get('/api-docs/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('swagger-ui');
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    const init = await app.http.get('/api-docs/swagger-ui-init.js');
    expect(init.status).toBe(200);
    expect(init.text).toContain('/api/users/register');
  });
});

describe('when MongoDB is unreachable', () => {
  let broken: TestApp;
  let token: string;

  beforeAll(async () => {
    broken = await startTestApp();
    token = (await registerUser(broken)).token;
    await broken.connection.close();
  });

  afterAll(async () => {
    await broken.close();
  });

  it('answers 503 DATABASE_UNAVAILABLE naming the database, with Retry-After, not 500', async () => {
    const responses = [
      await broken.http.post('/api/users/login').send({ email: uniqueEmail(), password: STRONG_PASSWORD }),
      await broken.http.get('/api/users/profile').set('Authorization', `Bearer ${token}`),
      await broken.http.post('/api/users/internal/validate-token').set('X-Internal-Key', INTERNAL_KEY).send({ token }),
    ];
    for (const res of responses) {
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ success: false, code: 'DATABASE_UNAVAILABLE', error: 'The user database (MongoDB) is unavailable' });
      expect(res.headers['retry-after']).toBeDefined();
    }
  });

  it('reports not ready, while still alive', async () => {
    const ready = await broken.http.get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.data.checks.mongodb.status).toBe('down');
    expect((await broken.http.get('/health')).status).toBe(200);
  });
});
