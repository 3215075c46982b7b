import { userServiceClientFor } from '../create-clients';
import { clientDefaults, pactBetween, tokenValidationContract } from './pact.test-helpers';

// The Product service checks the tokens of its admin writes with the User service.
describe('pact: product-service → user-service', () => {
  const pact = pactBetween('product-service', 'user-service');
  tokenValidationContract(pact, (url) =>
    userServiceClientFor(
      { USER_SERVICE_URL: url, INTERNAL_API_KEY: clientDefaults.internalApiKey, SERVICE_TIMEOUT_MS: 3000, TOKEN_CACHE_TTL_MS: 0 },
      {},
    ),
  );
});
