import { registerUser, RegisteredUser, startTestApp, STRONG_PASSWORD, TestApp, uniqueEmail } from '../app.test-helpers';

/** The app trusts X-Forwarded-For from loopback (a local proxy), which lets a test play several clients. */
const CLIENT_A = '203.0.113.10';
const CLIENT_B = '203.0.113.20';

describe('failed-login throttle', () => {
  let app: TestApp;
  let victim: RegisteredUser;
  let bystander: RegisteredUser;

  beforeAll(async () => {
    app = await startTestApp({ LOGIN_MAX_FAILURES: '10', LOGIN_FAILURE_WINDOW_MS: String(15 * 60 * 1000) });
    victim = await registerUser(app);
    bystander = await registerUser(app);
  });

  afterAll(async () => {
    await app.close();
  });

  const login = (email: string, password: string, client = CLIENT_A) =>
    app.http.post('/api/users/login').set('X-Forwarded-For', client).send({ email, password });

  it('answers 429 with Retry-After after 10 failures, while other accounts still sign in', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i += 1) {
      const res = await login(victim.email, `wrong-password-${i}`);
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.body).toMatchObject({ success: false, code: 'TOO_MANY_LOGIN_ATTEMPTS', requestId: expect.any(String) });
        const retryAfter = Number(res.headers['retry-after']);
        expect(retryAfter).toBeGreaterThan(0);
        expect(retryAfter).toBeLessThanOrEqual(15 * 60);
      }
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(20).fill(429));

    // Even the right password waits now: the attacker learns nothing more from this pair.
    expect((await login(victim.email, victim.password)).status).toBe(429);
    // Another account from the same address, and the same account from another address, carry on.
    expect((await login(bystander.email, bystander.password)).status).toBe(200);
    expect((await login(victim.email, victim.password, CLIENT_B)).status).toBe(200);
  });

  it('keys on the normalised email, so changing its case does not reset the count', async () => {
    const target = await registerUser(app);
    for (let i = 0; i < 10; i += 1) expect((await login(target.email, 'wrong-password-1')).status).toBe(401);
    expect((await login(target.email.toUpperCase(), 'wrong-password-1')).status).toBe(429);
  });

  it('counts neither successful logins nor invalid requests', async () => {
    const user = await registerUser(app);
    for (let i = 0; i < 12; i += 1) expect((await login(user.email, user.password)).status).toBe(200);
    for (let i = 0; i < 12; i += 1) {
      const res = await app.http.post('/api/users/login').set('X-Forwarded-For', CLIENT_A).send({ email: user.email });
      expect(res.status).toBe(400);
    }
    for (let i = 0; i < 10; i += 1) expect((await login(user.email, 'wrong-password-1')).status).toBe(401);
    expect((await login(user.email, 'wrong-password-1')).status).toBe(429);
  });

  it('cannot be outrun by a burst of parallel guesses', async () => {
    const user = await registerUser(app);
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => login(user.email, `wrong-password-${i}`, CLIENT_B)));
    expect(results.filter((r) => r.status === 401)).toHaveLength(10);
    expect(results.filter((r) => r.status === 429)).toHaveLength(15);
  });

  it('limits wrong current passwords on a password change per account', async () => {
    const user = await registerUser(app);
    const change = (currentPassword: string) =>
      app.http
        .put('/api/users/profile')
        .set('Authorization', `Bearer ${user.token}`)
        .send({ password: 'brand-new-pass-9', currentPassword });
    for (let i = 0; i < 10; i += 1) expect((await change(`wrong-current-${i}`)).status).toBe(403);
    const blocked = await change(user.password);
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('TOO_MANY_PASSWORD_ATTEMPTS');
    expect(blocked.headers['retry-after']).toBeDefined();
    // Other profile changes are not password guesses and go through.
    const rename = await app.http.put('/api/users/profile').set('Authorization', `Bearer ${user.token}`).send({ firstName: 'Renamed' });
    expect(rename.status).toBe(200);
  });
});

describe('per-client limit on register and login', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ AUTH_RATE_LIMIT_MAX: '3', AUTH_RATE_LIMIT_WINDOW_MS: '60000' });
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers 429 with Retry-After once an address spends its budget, other addresses unaffected', async () => {
    const register = (client: string) =>
      app.http
        .post('/api/users/register')
        .set('X-Forwarded-For', client)
        .send({ firstName: 'A', lastName: 'B', email: uniqueEmail('budget'), password: STRONG_PASSWORD });
    expect((await register(CLIENT_A)).status).toBe(201);
    expect((await register(CLIENT_A)).status).toBe(201);
    expect(
      (await app.http.post('/api/users/login').set('X-Forwarded-For', CLIENT_A).send({ email: uniqueEmail(), password: 'x1' })).status,
    ).toBe(401);
    const limited = await register(CLIENT_A);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ success: false, code: 'TOO_MANY_REQUESTS' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await register(CLIENT_B)).status).toBe(201);
  });
});
