import { PACT_INTERNAL_KEY, startChangedProvider, StateHandlers, verifyPacts } from '@shop/test-kit';
import { INTERNAL_KEY, registerUser, startTestApp, TestApp } from './app.test-helpers';

/**
 * The User service against every pact that names it (Order, Product and Notification call it),
 * as its real app on its own MongoDB database. Provider states are made through the service's
 * own registration, so no test-only route exists.
 */
describe('pacts: user-service as provider', () => {
  let app: TestApp;
  let baseUrl: string;

  const stateHandlers: StateHandlers = {
    'a customer with a valid token': async () => {
      const user = await registerUser(app);
      return { token: user.token, userId: user.id };
    },
    'a customer with a phone number': async () => {
      const user = await registerUser(app, { phone: '+15551234567' });
      return { userId: user.id };
    },
  };

  beforeAll(async () => {
    app = await startTestApp({ INTERNAL_API_KEY: `${INTERNAL_KEY},${PACT_INTERNAL_KEY}` });
    baseUrl = app.http.get('/').url.replace(/\/$/, '');
  });
  afterAll(() => app?.close());

  it('honours every interaction its consumers rely on', async () => {
    await verifyPacts({ provider: 'user-service', baseUrl, stateHandlers });
  });

  it('fails, naming each consumer and interaction, once an answer they rely on changes', async () => {
    // The change: validate-token's `expiresAt` renamed, which every token-checking caller reads.
    const changed = await startChangedProvider(baseUrl, {
      path: '/api/users/internal/validate-token',
      change: ({ status, body }) => {
        const { expiresAt, ...data } = (body as { data?: Record<string, unknown> }).data ?? {};
        return { status, body: { ...(body as object), data: expiresAt === undefined ? data : { ...data, expiry: expiresAt } } };
      },
    });
    try {
      const failure = await verifyPacts({ provider: 'user-service', baseUrl: changed.url, stateHandlers }).then(
        () => new Error('the verification passed'),
        (err: Error) => err,
      );
      for (const consumer of ['order-service', 'product-service', 'notification-service']) {
        expect(failure.message).toMatch(
          new RegExp(`${consumer} -> user-service: "Given a customer with a valid token - a validation of a valid token": .*expiresAt`),
        );
      }
      expect(failure.message).not.toMatch(/refuses/);
    } finally {
      await changed.close();
    }
  });
});
