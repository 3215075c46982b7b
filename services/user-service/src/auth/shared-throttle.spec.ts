import { getFreePort } from '@shop/test-kit';
import { registerUser, RegisteredUser, startTestApp, TestApp } from '../app.test-helpers';

const CLIENT = '203.0.113.30';

describe('rate limits held in Redis, across instances', () => {
  let first: TestApp;
  let second: TestApp;
  let victim: RegisteredUser;

  beforeAll(async () => {
    const limits = { LOGIN_MAX_FAILURES: '6', AUTH_RATE_LIMIT_MAX: '10000' };
    first = await startTestApp(limits);
    // A second instance of the service: the same database and the same Redis keys.
    second = await startTestApp(limits, { database: first.database, rateLimitPrefix: first.rateLimitPrefix });
    victim = await registerUser(first);
  });

  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  const login = (app: TestApp, password: string) =>
    app.http.post('/api/users/login').set('X-Forwarded-For', CLIENT).send({ email: victim.email, password });

  it('holds the failed-login throttle across two instances: guesses spread over both still stop after the limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) statuses.push((await login(i % 2 === 0 ? first : second, `wrong-password-${i}`)).status);
    expect(statuses).toEqual([...Array(6).fill(401), ...Array(6).fill(429)]);
    const right = await login(second, victim.password);
    expect([right.status, right.body.code]).toEqual([429, 'TOO_MANY_LOGIN_ATTEMPTS']);
  });

  it('shares the per-client budget across instances', async () => {
    const budget = { AUTH_RATE_LIMIT_MAX: '4' };
    const a = await startTestApp(budget);
    const b = await startTestApp(budget, { database: a.database, rateLimitPrefix: a.rateLimitPrefix });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i += 1) {
        const res = await (i % 2 === 0 ? a : b).http.post('/api/users/login').set('X-Forwarded-For', CLIENT).send({});
        statuses.push(res.status);
      }
      expect(statuses).toEqual([400, 400, 400, 400, 429, 429]);
    } finally {
      await b.close();
      await a.close();
    }
  });

  it('keys on the socket address when TRUST_PROXY=false: a forged X-Forwarded-For buys no new budget', async () => {
    const app = await startTestApp({ AUTH_RATE_LIMIT_MAX: '3', TRUST_PROXY: 'false' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        statuses.push((await app.http.post('/api/users/login').set('X-Forwarded-For', `198.51.100.${i}`).send({})).status);
      }
      expect(statuses).toEqual([400, 400, 400, 429, 429]);
    } finally {
      await app.close();
    }
  });

  it('keeps sign-in and registration working when Redis was never reachable, and stays ready', async () => {
    const app = await startTestApp({ REDIS_PORT: String(await getFreePort()) }, { redisReachable: false });
    try {
      const bo = await registerUser(app);
      const res = await app.http.post('/api/users/login').send({ email: bo.email, password: bo.password });
      expect(res.status).toBe(200);
      const ready = await app.http.get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.data.checks.redis).toMatchObject({ status: 'down', required: false });
    } finally {
      await app.close();
    }
  });
});
