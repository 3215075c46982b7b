import { createUserServiceClient } from '../create-clients';
import { clientDefaults, pactBetween, tokenValidationContract } from './pact.test-helpers';

// The Order service checks every authenticated request's token with the User service, and takes
// the customer's address for the confirmation email from that answer (it never looks users up).
describe('pact: order-service → user-service', () => {
  const pact = pactBetween('order-service', 'user-service');
  tokenValidationContract(pact, (url) => createUserServiceClient(url, clientDefaults, { tokenCacheTtlMs: 0 }));
});
