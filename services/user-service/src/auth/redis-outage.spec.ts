import Redis from 'ioredis';
import { PrivateRedis, startPrivateRedis, waitFor } from '@shop/test-kit';
import { INTERNAL_KEY, registerUser, RegisteredUser, startTestApp, TestApp, uniqueEmail } from '../app.test-helpers';

const CLIENT = '203.0.113.77';

/**
 * A real Redis outage (its server stopped, then started again) under a running app. The choice
 * made (rate-limit-store.ts): the limits fail open to this process's memory, so sign-in and
 * registration keep working, still limited; readiness reports Redis but does not gate on it.
 */
describe('a Redis outage (the rate-limit counters)', () => {
  let redis: PrivateRedis;
  let app: TestApp;
  let ann: RegisteredUser;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    app = await startTestApp({ REDIS_HOST: redis.host, REDIS_PORT: String(redis.port), LOGIN_MAX_FAILURES: '3' });
    ann = await registerUser(app);
    await redis.process.stop();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await redis?.close();
  });

  const login = (email: string, password: string) =>
    app.http.post('/api/users/login').set('X-Forwarded-For', CLIENT).send({ email, password });

  it('leaves the instance ready, reporting Redis down without gating on it', async () => {
    const ready = await app.http.get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.data.status).toBe('ready');
    expect(ready.body.data.degraded).toBe(true);
    expect(ready.body.data.checks.mongodb).toMatchObject({ status: 'up', required: true });
    expect(ready.body.data.checks.redis).toMatchObject({ status: 'down', required: false });
  });

  it('keeps token checks, sign-in and registration working', async () => {
    const validated = await app.http
      .post('/api/users/internal/validate-token')
      .set('X-Internal-Key', INTERNAL_KEY)
      .send({ token: ann.token });
    expect(validated.status).toBe(200);
    const signedIn = await login(ann.email, ann.password);
    expect(signedIn.status).toBe(200);
    const registered = await app.http
      .post('/api/users/register')
      .set('X-Forwarded-For', CLIENT)
      .send({ firstName: 'Bo', lastName: 'Outage', email: uniqueEmail('outage'), password: 'correct-horse-42' });
    expect(registered.status).toBe(201);
  });

  it('still limits failed sign-ins, in this process’s memory, and counts each fallback in a metric', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await login(ann.email, `wrong-password-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const refused = await login(ann.email, ann.password);
    expect([refused.status, refused.body.code]).toEqual([429, 'TOO_MANY_LOGIN_ATTEMPTS']);
    const metrics = await app.http.get('/metrics');
    expect(metrics.text).toMatch(/user_rate_limit_fallbacks_total\{limiter="failedLogins"[^}]*\} [1-9]/);
    expect(metrics.text).toMatch(/user_rate_limit_fallbacks_total\{limiter="perClient"[^}]*\} [1-9]/);
  });

  it('counts in Redis again, shared, once it is back', async () => {
    await redis.process.start();
    await waitFor(async () => (await app.http.get('/health/ready')).body.data.checks.redis.status === 'up', {
      what: 'readiness to see Redis again',
      timeoutMs: 30_000,
    });
    const bo = await registerUser(app);
    // The client reconnects by itself; the first commands after it may still miss.
    const direct = new Redis({ host: redis.host, port: redis.port });
    try {
      await waitFor(
        async () => {
          await login(bo.email, 'wrong-password');
          return (await direct.keys(`${app.rateLimitPrefix}:failedLogins:*`)).length > 0;
        },
        { what: 'a failed login counted in Redis', timeoutMs: 30_000 },
      );
    } finally {
      direct.disconnect();
    }
  });
});
