import { MatchersV3 } from '@pact-foundation/pact';
import type { CreateNotificationInput } from '@shop/contracts';
import { UpstreamRejectionError } from '@shop/errors';
import { createNotificationServiceClient } from '../create-clients';
import { INTERNAL_HEADERS, clientDefaults, ok, pactBetween, refusal, USER_ID } from './pact.test-helpers';

const { eachLike, regex, string } = MatchersV3;

const ORDER = '55555555-5555-4555-8555-555555555555';

/** An order's email as its outbox holds it (notificationFor in the Order service). */
const confirmation = (dedupeKey: string, userId = USER_ID): CreateNotificationInput => ({
  userId,
  title: 'Order confirmed',
  description: `Your order #${ORDER} has been confirmed. Total: $1999.98`,
  notificationType: 'email',
  metadata: { orderId: ORDER, status: 'confirmed', totalAmount: 1999.98 },
  dedupeKey,
  recipient: { email: 'ann.smith@example.com', name: 'Ann Smith' },
});

/**
 * The Order service's outbox relay hands its emails over a batch per call, and one by one when
 * the batch as a whole is refused. A result per entry: created or existing is delivered, a
 * rejected one fails alone.
 */
describe('pact: order-service → notification-service', () => {
  const pact = pactBetween('order-service', 'notification-service');
  const client = (url: string) => createNotificationServiceClient(url, clientDefaults);

  it('hands a batch over, one result per notification', async () => {
    const batch = [confirmation(`order-confirmed:${ORDER}`), confirmation(`order-shipped:${ORDER}`)];
    await pact
      .addInteraction()
      .given('no notification is stored')
      .uponReceiving('a batch of notifications')
      .withRequest('POST', '/api/notifications/batch', (b) => b.headers(INTERNAL_HEADERS).jsonBody({ notifications: batch }))
      .willRespondWith(200, (b) =>
        b.jsonBody(
          ok({
            results: eachLike(
              { status: regex('^(created|existing)$', 'created'), notification: { id: string('6650a1b2c3d4e5f601234567') } },
              2,
            ),
          }),
        ),
      )
      .executeTest(async (server) => {
        const results = await client(server.url).createMany(batch);
        expect(results.map((r) => r.status)).toEqual(['created', 'created']);
      });
  });

  it('receives a rejected entry alone when its dedupe key belongs to another recipient', async () => {
    const taken = confirmation(`order-confirmed:${ORDER}`, '65f0a1b2c3d4e5f60123aaaa');
    await pact
      .addInteraction()
      .given('a notification holds the dedupe key of an order’s confirmation for another user')
      .uponReceiving('a batch with a dedupe key taken by another recipient')
      .withRequest('POST', '/api/notifications/batch', (b) => b.headers(INTERNAL_HEADERS).jsonBody({ notifications: [taken] }))
      .willRespondWith(200, (b) => b.jsonBody(ok({ results: [{ status: 'rejected', code: 'DEDUPE_KEY_REUSED', error: string('taken') }] })))
      .executeTest(async (server) => {
        expect(await client(server.url).createMany([taken])).toEqual([{ status: 'rejected', code: 'DEDUPE_KEY_REUSED', error: 'taken' }]);
      });
  });

  it('is refused a malformed batch as a whole with a 400, on which the relay sends one by one', async () => {
    const { dedupeKey: _none, ...keyless } = confirmation('unused');
    await pact
      .addInteraction()
      .uponReceiving('a batch with a notification without a dedupe key')
      .withRequest('POST', '/api/notifications/batch', (b) => b.headers(INTERNAL_HEADERS).jsonBody({ notifications: [keyless] }))
      .willRespondWith(400, (b) => b.jsonBody(refusal('VALIDATION_FAILED')))
      .executeTest(async (server) => {
        const refused = await client(server.url)
          .createMany([keyless])
          .catch((err: unknown) => err);
        expect(refused).toBeInstanceOf(UpstreamRejectionError);
        expect(refused).toMatchObject({ status: 400, isClientError: true });
      });
  });

  it('hands one notification over (the fallback of a refused batch)', async () => {
    const one = confirmation(`order-confirmed:${ORDER}`);
    await pact
      .addInteraction()
      .given('no notification is stored')
      .uponReceiving('a single notification')
      .withRequest('POST', '/api/notifications', (b) => b.headers(INTERNAL_HEADERS).jsonBody(one))
      .willRespondWith(202, (b) => b.jsonBody(ok({ notification: { id: string('6650a1b2c3d4e5f601234567'), dedupeKey: one.dedupeKey } })))
      .executeTest(async (server) => {
        expect(await client(server.url).create(one)).toMatchObject({ id: '6650a1b2c3d4e5f601234567', dedupeKey: one.dedupeKey });
      });
  });
});
