import jwt from 'jsonwebtoken';
import {
  INTERNAL_KEY,
  PREVIOUS_INTERNAL_KEY,
  registerUser,
  RegisteredUser,
  SECRET_PATTERN,
  STRONG_PASSWORD,
  TEST_JWT_SECRET,
  uniqueEmail,
  useTestApp,
} from '../app.test-helpers';
import { userModel } from '../users/user.model';

const app = useTestApp();

const validateToken = (token: unknown, key: string | null = INTERNAL_KEY) => {
  const req = app.http.post('/api/users/internal/validate-token');
  if (key !== null) req.set('X-Internal-Key', key);
  return req.send({ token });
};

describe('registration', () => {
  it('registers, signs in and reads the profile (round trip)', async () => {
    const email = uniqueEmail('round');
    const registered = await app.http
      .post('/api/users/register')
      .send({ firstName: 'John', lastName: 'Doe', email, password: 'password123', phone: '+15551234567' });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({
      success: true,
      data: { user: { email, firstName: 'John', lastName: 'Doe', phone: '+15551234567', role: 'customer' }, token: expect.any(String) },
    });
    expect(registered.text).not.toMatch(SECRET_PATTERN);

    const login = await app.http.post('/api/users/login').send({ email, password: 'password123' });
    expect(login.status).toBe(200);
    expect(login.body.data.user).toEqual(registered.body.data.user);
    expect(Date.parse(login.body.data.expiresAt)).toBeGreaterThan(Date.now() + 23 * 3600 * 1000);
    expect(login.text).not.toMatch(SECRET_PATTERN);

    const profile = await app.http.get('/api/users/profile').set('Authorization', `Bearer ${login.body.data.token}`);
    expect(profile.status).toBe(200);
    expect(profile.body).toEqual({ success: true, data: { user: registered.body.data.user } });
    expect(profile.text).not.toMatch(SECRET_PATTERN);
  });

  it('issues an HS256 token with subject, role, email and issuer', async () => {
    const user = await registerUser(app);
    const { header, payload } = jwt.decode(user.token, { complete: true }) as jwt.Jwt & { payload: jwt.JwtPayload };
    expect(header.alg).toBe('HS256');
    expect(payload).toMatchObject({ sub: user.id, role: 'customer', email: user.email, iss: app.config.JWT_ISSUER });
    expect(payload.exp! - payload.iat!).toBe(24 * 3600);
  });

  it('stores a bcrypt hash, never the password', async () => {
    const user = await registerUser(app);
    const stored = await userModel(app.connection).findById(user.id).lean();
    expect(stored?.passwordHash).toMatch(/^\$2b\$04\$/);
    expect(JSON.stringify(stored)).not.toContain(STRONG_PASSWORD);
  });

  it('normalises the email, so case and spaces make no second account', async () => {
    const email = uniqueEmail('norm');
    const first = await registerUser(app, { email: `  ${email.toUpperCase()} ` });
    expect(first.email).toBe(email);
    const again = await app.http.post('/api/users/register').send({ firstName: 'A', lastName: 'B', email, password: STRONG_PASSWORD });
    expect(again.status).toBe(409);
    const login = await app.http.post('/api/users/login').send({ email: email.toUpperCase(), password: STRONG_PASSWORD });
    expect(login.status).toBe(200);
  });

  it('answers a duplicate email with 409 USER_ALREADY_EXISTS', async () => {
    const user = await registerUser(app);
    const res = await app.http
      .post('/api/users/register')
      .send({ firstName: 'X', lastName: 'Y', email: user.email, password: 'another-pass-1' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ success: false, code: 'USER_ALREADY_EXISTS', requestId: expect.any(String) });
  });

  it('lets exactly one of 20 concurrent registrations of one email through', async () => {
    const email = uniqueEmail('race');
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        app.http.post('/api/users/register').send({ firstName: `Racer${i}`, lastName: 'R', email, password: STRONG_PASSWORD }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'USER_ALREADY_EXISTS')).toBe(true);
    expect(await userModel(app.connection).countDocuments({ email })).toBe(1);
  });

  it.each([
    ['too short', 'abc1', /at least 8/],
    ['without a digit', 'onlyletters', /digit/],
    ['without a letter', '1234567890', /letter/],
    ['longer than bcrypt reads', `a1${'x'.repeat(71)}`, /at most 72/],
    ['over 72 bytes in UTF-8', `a1${'é'.repeat(36)}`, /72 bytes/],
  ])('refuses a password %s with a clear 400', async (_case, password, message) => {
    const email = uniqueEmail('policy');
    const res = await app.http.post('/api/users/register').send({ firstName: 'A', lastName: 'B', email, password });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ success: false, code: 'VALIDATION_FAILED' });
    expect(res.body.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'body.password', message: expect.stringMatching(message) })]),
    );
    expect(await userModel(app.connection).countDocuments({ email })).toBe(0);
  });

  it.each([
    ['a missing last name', { lastName: undefined }, 'body.lastName'],
    ['an invalid email', { email: 'not-an-email' }, 'body.email'],
    ['a phone number not in international format', { phone: '555-1234' }, 'body.phone'],
    ['a role', { role: 'admin' }, 'body'],
    ['an id', { _id: '665f1c2b9d3e4a0012345678' }, 'body'],
  ])('refuses %s with 400', async (_case, change, path) => {
    const body = { firstName: 'A', lastName: 'B', email: uniqueEmail('invalid'), password: STRONG_PASSWORD, ...change };
    const res = await app.http.post('/api/users/register').send(body);
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(await userModel(app.connection).countDocuments({ email: body.email })).toBe(0);
  });
});

describe('login', () => {
  let user: RegisteredUser;

  beforeAll(async () => {
    user = await registerUser(app);
  });

  it('gives the same 401 for an unknown email and a wrong password', async () => {
    const unknown = await app.http.post('/api/users/login').send({ email: uniqueEmail('nobody'), password: STRONG_PASSWORD });
    const wrong = await app.http.post('/api/users/login').send({ email: user.email, password: 'wrong-password-1' });
    for (const res of [unknown, wrong]) {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ success: false, code: 'INVALID_CREDENTIALS', error: 'The email or password is incorrect' });
    }
    const { requestId: _a, ...unknownBody } = unknown.body;
    const { requestId: _b, ...wrongBody } = wrong.body;
    expect(unknownBody).toEqual(wrongBody);
  });

  it('refuses a missing password with 400, not 401', async () => {
    const res = await app.http.post('/api/users/login').send({ email: user.email });
    expect(res.status).toBe(400);
    expect(res.body.details[0].path).toBe('body.password');
  });
});

describe('tokens', () => {
  let user: RegisteredUser;

  beforeAll(async () => {
    user = await registerUser(app);
  });

  const claims = () => ({ sub: user.id, email: user.email, role: 'customer', ver: 0 });
  const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

  const forged: Array<[string, () => string]> = [
    [
      'alg none',
      () =>
        `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claims(), iss: app.config.JWT_ISSUER, exp: Math.floor(Date.now() / 1000) + 3600 })}.`,
    ],
    [
      'signed with another secret',
      () => jwt.sign(claims(), 'another-secret-of-some-length-0123456789', { issuer: app.config.JWT_ISSUER, expiresIn: 3600 }),
    ],
    [
      'signed with another HMAC algorithm',
      () => jwt.sign(claims(), TEST_JWT_SECRET, { algorithm: 'HS512', issuer: app.config.JWT_ISSUER, expiresIn: 3600 }),
    ],
    ['from another issuer', () => jwt.sign(claims(), TEST_JWT_SECRET, { issuer: 'someone-else', expiresIn: 3600 })],
    [
      'with a tampered payload',
      () => {
        const [header, , signature] = user.token.split('.');
        const payload = jwt.decode(user.token) as object;
        return `${header}.${base64url({ ...payload, role: 'admin' })}.${signature}`;
      },
    ],
    [
      'expired',
      () => jwt.sign({ ...claims(), exp: Math.floor(Date.now() / 1000) - 60 }, TEST_JWT_SECRET, { issuer: app.config.JWT_ISSUER }),
    ],
    [
      'for a malformed subject',
      () => jwt.sign({ ...claims(), sub: 'not-an-id' }, TEST_JWT_SECRET, { issuer: app.config.JWT_ISSUER, expiresIn: 3600 }),
    ],
    ['garbage', () => 'not.a.jwt'],
    ['longer than 4,096 characters', () => `${user.token}${'a'.repeat(4096)}`],
    ['with characters no token has', () => 'a"b<c>d{e}'],
  ];

  it.each(forged)('refuses a token %s on /profile with 401', async (_case, make) => {
    const res = await app.http.get('/api/users/profile').set('Authorization', `Bearer ${make()}`);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ success: false, code: 'INVALID_TOKEN' });
  });

  it.each(forged)('refuses a token %s on validate-token with 401', async (_case, make) => {
    const res = await validateToken(make());
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ success: false, code: 'INVALID_TOKEN' });
  });

  it('says an expired token has expired', async () => {
    const expired = jwt.sign({ ...claims(), exp: Math.floor(Date.now() / 1000) - 1 }, TEST_JWT_SECRET, { issuer: app.config.JWT_ISSUER });
    const res = await validateToken(expired);
    expect(res.body.error).toMatch(/expired/);
  });

  it('requires a bearer token on /profile', async () => {
    const none = await app.http.get('/api/users/profile');
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('TOKEN_REQUIRED');
    const basic = await app.http.get('/api/users/profile').set('Authorization', 'Basic dXNlcjpwYXNz');
    expect(basic.status).toBe(401);
  });

  it('validates a good token into the contract TokenValidation (user + expiresAt)', async () => {
    const res = await validateToken(user.token);
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    expect(res.body.data).toEqual({
      user: {
        id: user.id,
        email: user.email,
        firstName: 'Ann',
        lastName: 'Smith',
        phone: null,
        role: 'customer',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      },
      expiresAt: new Date((jwt.decode(user.token) as jwt.JwtPayload).exp! * 1000).toISOString(),
    });
    expect(res.text).not.toMatch(SECRET_PATTERN);
  });

  it('accepts every key of a rotation list ("key1,key2")', async () => {
    expect((await validateToken(user.token, PREVIOUS_INTERNAL_KEY)).status).toBe(200);
  });

  it.each([
    ['missing', null],
    ['wrong', 'not-the-key'],
    ['truncated', INTERNAL_KEY.slice(0, -1)],
  ])('refuses validate-token with a %s internal key (401 envelope)', async (_case, key) => {
    const res = await validateToken(user.token, key);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ success: false, code: 'INVALID_INTERNAL_KEY', requestId: expect.any(String) });
  });

  it('refuses an empty token on validate-token with 401, like any token it cannot use', async () => {
    const res = await validateToken('');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('INVALID_TOKEN');
  });

  it('refuses validate-token without a token (400)', async () => {
    const res = await app.http.post('/api/users/internal/validate-token').set('X-Internal-Key', INTERNAL_KEY).send({});
    expect(res.status).toBe(400);
    expect(res.body.details[0].path).toBe('body.token');
  });

  it('refuses the token of a deleted user', async () => {
    const doomed = await registerUser(app);
    await userModel(app.connection).deleteOne({ _id: doomed.id });
    expect((await validateToken(doomed.token)).status).toBe(401);
    expect((await app.http.get('/api/users/profile').set('Authorization', `Bearer ${doomed.token}`)).status).toBe(401);
  });
});
