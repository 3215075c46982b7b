import { createUseCases } from '../app';
import {
  INTERNAL_KEY,
  registerUser,
  RegisteredUser,
  SECRET_PATTERN,
  storedUser,
  STRONG_PASSWORD,
  uniqueEmail,
  useTestApp,
} from '../app.test-helpers';
import { userModel } from './user.model';

const app = useTestApp();

const bearer = (token: string) => `Bearer ${token}`;

describe('PUT /api/users/profile', () => {
  let user: RegisteredUser;

  beforeEach(async () => {
    user = await registerUser(app, { phone: '+15550000001' });
  });

  const update = (body: object, token = user.token) => app.http.put('/api/users/profile').set('Authorization', bearer(token)).send(body);

  it('changes names and phone, trimmed', async () => {
    const res = await update({ firstName: '  Anna ', lastName: 'Jones', phone: '+4915112345678' });
    expect(res.status).toBe(200);
    expect(res.body.data.user).toMatchObject({
      id: user.id,
      email: user.email,
      firstName: 'Anna',
      lastName: 'Jones',
      phone: '+4915112345678',
    });
    expect(res.body.data.token).toBeUndefined();
    expect(res.text).not.toMatch(SECRET_PATTERN);
    const profile = await app.http.get('/api/users/profile').set('Authorization', bearer(user.token));
    expect(profile.body.data.user).toEqual(res.body.data.user);
  });

  it('removes the phone number with null', async () => {
    const res = await update({ phone: null });
    expect(res.status).toBe(200);
    expect(res.body.data.user.phone).toBeNull();
    expect((await storedUser(app, user.id))?.phone).toBeNull();
  });

  it('cannot grant admin: 400, and the role stays customer', async () => {
    const res = await update({ firstName: 'Mallory', role: 'admin' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ success: false, code: 'VALIDATION_FAILED' });
    const stored = await storedUser(app, user.id);
    expect(stored).toMatchObject({ role: 'customer', firstName: 'Ann' });
    const profile = await app.http.get('/api/users/profile').set('Authorization', bearer(user.token));
    expect(profile.body.data.user.role).toBe('customer');
  });

  it.each([
    ['email', { email: uniqueEmail('steal') }],
    ['id', { id: '665f1c2b9d3e4a0012345678' }],
    ['_id', { _id: '665f1c2b9d3e4a0012345678' }],
    ['passwordHash', { passwordHash: '$2b$04$abcdefghijklmnopqrstuuK7y1w0bC1p7kQ4ZB7gQ3Pq6Vb3nJ6m' }],
    ['createdAt', { createdAt: '2000-01-01T00:00:00.000Z' }],
  ])('refuses a change of %s with 400 and changes nothing', async (_field, body) => {
    const before = await storedUser(app, user.id);
    const res = await update(body);
    expect(res.status).toBe(400);
    expect(await storedUser(app, user.id)).toEqual(before);
  });

  it('refuses an empty update and a bad field with 400', async () => {
    expect((await update({})).status).toBe(400);
    expect((await update({ firstName: '   ' })).body.details[0].path).toBe('body.firstName');
    expect((await update({ phone: 'call me' })).body.details[0].path).toBe('body.phone');
  });

  it('needs the current password to change the password', async () => {
    const res = await update({ password: 'brand-new-pass-9' });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([expect.objectContaining({ path: 'body.currentPassword' })]);
  });

  it('refuses a wrong current password with 403 INVALID_CURRENT_PASSWORD and keeps the old one', async () => {
    const res = await update({ password: 'brand-new-pass-9', currentPassword: 'not-my-password-1' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('INVALID_CURRENT_PASSWORD');
    expect((await app.http.post('/api/users/login').send({ email: user.email, password: user.password })).status).toBe(200);
  });

  it('holds a new password to the policy', async () => {
    const res = await update({ password: 'short1', currentPassword: user.password });
    expect(res.status).toBe(400);
    expect(res.body.details[0].path).toBe('body.password');
  });

  it('changes the password, revokes earlier tokens and returns a fresh one', async () => {
    const res = await update({ password: 'brand-new-pass-9', currentPassword: user.password, lastName: 'Changed' });
    expect(res.status).toBe(200);
    expect(res.body.data.user.lastName).toBe('Changed');
    expect(res.body.data.token).toEqual(expect.any(String));
    expect(res.text).not.toMatch(SECRET_PATTERN);

    const old = await app.http.get('/api/users/profile').set('Authorization', bearer(user.token));
    expect(old.status).toBe(401);
    const fresh = await app.http.get('/api/users/profile').set('Authorization', bearer(res.body.data.token));
    expect(fresh.status).toBe(200);

    expect((await app.http.post('/api/users/login').send({ email: user.email, password: user.password })).status).toBe(401);
    expect((await app.http.post('/api/users/login').send({ email: user.email, password: 'brand-new-pass-9' })).status).toBe(200);
  });
});

describe('GET /api/users/internal/:userId', () => {
  let user: RegisteredUser;

  beforeAll(async () => {
    user = await registerUser(app, { phone: '+15550000002' });
  });

  const getUser = (id: string, key: string | null = INTERNAL_KEY) => {
    const req = app.http.get(`/api/users/internal/${id}`);
    return key === null ? req : req.set('X-Internal-Key', key);
  };

  it('returns the UserDto with contact details', async () => {
    const res = await getUser(user.id);
    expect(res.status).toBe(200);
    expect(res.body.data.user).toEqual({
      id: user.id,
      email: user.email,
      firstName: 'Ann',
      lastName: 'Smith',
      phone: '+15550000002',
      role: 'customer',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(res.text).not.toMatch(SECRET_PATTERN);
  });

  it('answers 404 USER_NOT_FOUND for an unknown id', async () => {
    const res = await getUser('665f1c2b9d3e4a0012345678');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ success: false, code: 'USER_NOT_FOUND' });
  });

  it.each(['not-an-id', '123', '665f1c2b9d3e4a001234567z', '%24gt'])('answers 400 for the malformed id %s', async (id) => {
    const res = await getUser(id);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ success: false, code: 'VALIDATION_FAILED' });
  });

  it.each([
    ['no key', null],
    ['a wrong key', 'wrong-key'],
  ])('refuses %s with 401 INVALID_INTERNAL_KEY', async (_case, key) => {
    const res = await getUser(user.id, key);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ success: false, code: 'INVALID_INTERNAL_KEY' });
    expect(res.text).not.toContain(user.email);
  });

  it('does not take a user token instead of the internal key', async () => {
    const res = await app.http.get(`/api/users/internal/${user.id}`).set('Authorization', bearer(user.token));
    expect(res.status).toBe(401);
  });
});

describe('admins', () => {
  const adminEmail = uniqueEmail('admin');
  const adminPassword = 'admin-passphrase-1';
  let adminToken: string;

  beforeAll(async () => {
    const { users } = createUseCases(app.config, app.connection);
    const first = await users.seedAdmin.execute(adminEmail, adminPassword);
    expect(first.created).toBe(true);
    const login = await app.http.post('/api/users/login').send({ email: adminEmail, password: adminPassword });
    adminToken = login.body.data.token;
  });

  it('seeds the first admin once (idempotent, also when seeding races)', async () => {
    const { users } = createUseCases(app.config, app.connection);
    const again = await Promise.all([
      users.seedAdmin.execute(adminEmail, 'other-pass-12'),
      users.seedAdmin.execute(adminEmail, 'other-pass-12'),
    ]);
    expect(again.map((r) => r.created)).toEqual([false, false]);
    expect(await userModel(app.connection).countDocuments({ email: adminEmail })).toBe(1);
    const raceEmail = uniqueEmail('admin-race');
    const raced = await Promise.all(Array.from({ length: 5 }, () => users.seedAdmin.execute(raceEmail, adminPassword)));
    expect(raced.filter((r) => r.created)).toHaveLength(1);
    expect(await userModel(app.connection).countDocuments({ email: raceEmail, role: 'admin' })).toBe(1);
    // The seeded admin keeps the password it was created with.
    expect((await app.http.post('/api/users/login').send({ email: adminEmail, password: adminPassword })).status).toBe(200);
  });

  it('does not promote an existing customer', async () => {
    const customer = await registerUser(app);
    const { users } = createUseCases(app.config, app.connection);
    const result = await users.seedAdmin.execute(customer.email, adminPassword);
    expect(result).toMatchObject({ created: false, user: { role: 'customer' } });
    expect((await app.http.post('/api/users/login').send({ email: customer.email, password: adminPassword })).status).toBe(401);
  });

  it('lists users page by page, newest first, without secrets', async () => {
    const marker = await registerUser(app);
    const page1 = await app.http.get('/api/users?page=1&limit=2').set('Authorization', bearer(adminToken));
    expect(page1.status).toBe(200);
    expect(page1.body.data.users).toHaveLength(2);
    expect(page1.body.data.users[0].id).toBe(marker.id);
    const total = await userModel(app.connection).countDocuments();
    expect(page1.body.data.pagination).toEqual({ page: 1, limit: 2, total, totalPages: Math.ceil(total / 2) });
    expect(page1.text).not.toMatch(SECRET_PATTERN);

    const page2 = await app.http.get('/api/users?page=2&limit=2').set('Authorization', bearer(adminToken));
    const ids1 = page1.body.data.users.map((u: { id: string }) => u.id);
    expect(page2.body.data.users.map((u: { id: string }) => u.id).some((id: string) => ids1.includes(id))).toBe(false);
  });

  it('filters by role', async () => {
    const res = await app.http.get('/api/users?role=admin&limit=100').set('Authorization', bearer(adminToken));
    expect(res.status).toBe(200);
    expect(res.body.data.users.length).toBeGreaterThan(0);
    expect(res.body.data.users.every((u: { role: string }) => u.role === 'admin')).toBe(true);
  });

  it('serves a page size above 100 at 100, the one paging rule of every list', async () => {
    const res = await app.http.get('/api/users?limit=1000').set('Authorization', bearer(adminToken));
    expect(res.status).toBe(200);
    expect(res.body.data.pagination.limit).toBe(100);
  });

  it.each(['page=0', 'page=100001', 'limit=0', 'role=root', 'sort=email', 'page=1&page=2', 'limit=abc'])(
    'refuses the query %s with 400',
    async (query) => {
      const res = await app.http.get(`/api/users?${query}`).set('Authorization', bearer(adminToken));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    },
  );

  it('refuses customers (403) and anonymous callers (401)', async () => {
    const customer = await registerUser(app);
    const forbidden = await app.http.get('/api/users').set('Authorization', bearer(customer.token));
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ success: false, code: 'FORBIDDEN' });
    expect((await app.http.get('/api/users')).status).toBe(401);
  });

  it('follows the stored role, not the one in an older token', async () => {
    const promoted = await registerUser(app, { password: STRONG_PASSWORD });
    await userModel(app.connection).updateOne({ _id: promoted.id }, { $set: { role: 'admin' } });
    const res = await app.http.get('/api/users').set('Authorization', bearer(promoted.token));
    expect(res.status).toBe(200);
  });
});
