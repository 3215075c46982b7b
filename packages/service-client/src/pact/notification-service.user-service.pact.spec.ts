import { MatchersV3 } from '@pact-foundation/pact';
import { UpstreamRejectionError } from '@shop/errors';
import { createUserServiceClient } from '../create-clients';
import {
  clientDefaults,
  INTERNAL_HEADERS,
  ok,
  pactBetween,
  refusal,
  tokenValidationContract,
  USER_ID,
  userShape,
} from './pact.test-helpers';

const { regex } = MatchersV3;

// The Notification service checks tokens (its user routes) and looks a recipient up when the
// caller gave no address: the email, the name, and the phone for an SMS.
describe('pact: notification-service → user-service', () => {
  const pact = pactBetween('notification-service', 'user-service');
  const client = (url: string) => createUserServiceClient(url, clientDefaults, { tokenCacheTtlMs: 0 });

  tokenValidationContract(pact, client);

  it('looks a recipient up, with the phone number an SMS needs', async () => {
    await pact
      .addInteraction()
      .given('a customer with a phone number')
      .uponReceiving('a look-up of a user by id')
      .withRequest('GET', MatchersV3.fromProviderState('/api/users/internal/${userId}', `/api/users/internal/${USER_ID}`), (b) =>
        b.headers(INTERNAL_HEADERS),
      )
      .willRespondWith(200, (b) => b.jsonBody(ok({ user: { ...userShape(), phone: regex('^\\+?[0-9 ()-]{6,}$', '+15551234567') } })))
      .executeTest(async (server) => {
        const user = await client(server.url).getUser(USER_ID);
        expect(user).toMatchObject({
          id: USER_ID,
          email: 'ann.smith@example.com',
          firstName: 'Ann',
          lastName: 'Smith',
          phone: '+15551234567',
        });
      });
  });

  it('turns an unknown user into a 404 rejection, which makes the delivery fail for good', async () => {
    const unknown = '65f0a1b2c3d4e5f60123ffff';
    await pact
      .addInteraction()
      .uponReceiving('a look-up of a user that does not exist')
      .withRequest('GET', `/api/users/internal/${unknown}`, (b) => b.headers(INTERNAL_HEADERS))
      .willRespondWith(404, (b) => b.jsonBody(refusal('USER_NOT_FOUND')))
      .executeTest(async (server) => {
        const refused = await client(server.url)
          .getUser(unknown)
          .catch((err: unknown) => err);
        expect(refused).toBeInstanceOf(UpstreamRejectionError);
        expect(refused).toMatchObject({ status: 404, code: 'USER_NOT_FOUND' });
      });
  });
});
