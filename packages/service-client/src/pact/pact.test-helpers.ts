import { copyFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { UnauthorizedError } from '@shop/errors';
import { PACT_INTERNAL_KEY, PACTS_DIR } from '@shop/test-kit';
import { ClientDefaults } from '../create-clients';
import { UserServiceClient } from '../user-service.client';

const { boolean, datetime, integer, like, regex, string } = MatchersV3;

/**
 * The real clients, as a calling service builds them, against Pact's mock server. One attempt
 * per call: a retried 503 would only repeat the same interaction.
 */
export const clientDefaults: ClientDefaults = { internalApiKey: PACT_INTERNAL_KEY, retry: { maxAttempts: 1 } };

export const INTERNAL_HEADERS = { 'X-Internal-Key': like(PACT_INTERNAL_KEY) };

/**
 * A Pact for one consumer–provider pair. The mock server writes (merging) into a directory of
 * this run; after the file's tests the whole pact replaces the versioned one in one rename, so
 * an interaction a consumer stopped using leaves the pact, and a verification running meanwhile
 * never reads half a file. A change shows as a git diff of packages/contracts/pacts. When an
 * interaction failed (Pact writes only those that passed) the versioned pact is left alone.
 */
export function pactBetween(consumer: string, provider: string): PactV4 {
  const dir = mkdtempSync(join(tmpdir(), 'pact-'));
  const pact = new PactV4({ consumer, provider, dir, logLevel: 'warn' });
  let added = 0;
  const addInteraction = pact.addInteraction.bind(pact);
  pact.addInteraction = () => {
    added += 1;
    return addInteraction();
  };
  afterAll(() => {
    const name = `${consumer}-${provider}.json`;
    try {
      const file = join(dir, name);
      const written = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { interactions: unknown[] }).interactions.length : 0;
      if (written !== added) {
        throw new Error(`${added - written} of ${added} interactions of ${name} failed: the versioned pact is left as it was`);
      }
      const staged = join(PACTS_DIR, `.${name}.tmp`);
      copyFileSync(file, staged);
      renameSync(staged, join(PACTS_DIR, name));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  return pact;
}

export const ISO_INSTANT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";
export const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/** An instant as every service writes it (`Date.prototype.toISOString`). */
export const instant = (example = '2026-01-02T03:04:05.678Z') => datetime(ISO_INSTANT, example);

export const uuid = (example: string) => regex(UUID, example);

/** The success envelope: the consumer reads `success` and `data`, nothing else. */
export const ok = (data: unknown) => ({ success: true, data });

/**
 * The error envelope: the client turns `code` (and `details`) into its typed error and shows
 * `error`; `requestId` ties the answer to the provider's logs.
 */
export const refusal = (code: string, extra: Record<string, unknown> = {}) => ({
  success: false,
  error: string('what went wrong, in words'),
  code,
  requestId: string('c0ffee00-0000-4000-8000-000000000000'),
  ...extra,
});

export const USER_ID = '65f0a1b2c3d4e5f601234567';

/** A user as the User service shows it to another service. */
export const userShape = (id: unknown = string(USER_ID)) => ({
  id,
  email: regex('^[^@\\s]+@[^@\\s]+$', 'ann.smith@example.com'),
  firstName: string('Ann'),
  lastName: string('Smith'),
  role: regex('^(customer|admin)$', 'customer'),
  createdAt: instant(),
  updatedAt: instant(),
});

export { boolean, integer };

/** A signed token, as the provider state made it; its example is what the mock server sees. */
const EXAMPLE_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI2NWYwYTFiMmMzZDRlNWY2MDEyMzQ1NjcifQ.c2lnbmF0dXJl';

/**
 * `POST /api/users/internal/validate-token`, as every service that checks bearer tokens calls it
 * (the Order service on each request; Product and Notification in their access guard): the
 * user behind a good token, and a refusal the client turns into its own 401 INVALID_TOKEN.
 */
export function tokenValidationContract(pact: PactV4, clientAt: (baseURL: string) => UserServiceClient): void {
  it('validates a good token into the user and the token expiry', async () => {
    await pact
      .addInteraction()
      .given('a customer with a valid token')
      .uponReceiving('a validation of a valid token')
      .withRequest('POST', '/api/users/internal/validate-token', (b) =>
        b.headers(INTERNAL_HEADERS).jsonBody({ token: MatchersV3.fromProviderState('${token}', EXAMPLE_TOKEN) }),
      )
      .willRespondWith(200, (b) => b.jsonBody(ok({ user: userShape(), expiresAt: instant() })))
      .executeTest(async (server) => {
        const validation = await clientAt(server.url).validateToken(EXAMPLE_TOKEN);
        expect(validation.user).toMatchObject({ id: USER_ID, role: 'customer', email: 'ann.smith@example.com' });
        expect(Date.parse(validation.expiresAt ?? '')).not.toBeNaN();
      });
  });

  it('turns a refused token into UnauthorizedError INVALID_TOKEN', async () => {
    await pact
      .addInteraction()
      .uponReceiving('a validation of a token the User service refuses')
      .withRequest('POST', '/api/users/internal/validate-token', (b) =>
        b.headers(INTERNAL_HEADERS).jsonBody({ token: like('eyJhbGciOiJIUzI1NiJ9.e30.Zm9yZ2Vk') }),
      )
      .willRespondWith(401, (b) => b.jsonBody(refusal('INVALID_TOKEN')))
      .executeTest(async (server) => {
        const refused = await clientAt(server.url)
          .validateToken('eyJhbGciOiJIUzI1NiJ9.e30.Zm9yZ2Vk')
          .catch((err: unknown) => err);
        expect(refused).toBeInstanceOf(UnauthorizedError);
        expect(refused).toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
      });
  });
}
