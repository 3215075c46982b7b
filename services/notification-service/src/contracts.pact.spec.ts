import { getModelToken } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import {
  createTestMongoDatabase,
  PACT_INTERNAL_KEY,
  SmtpInbox,
  startSmtpInbox,
  StateHandlers,
  TestMongoDatabase,
  verifyPacts,
} from '@shop/test-kit';
import { bullPrefix, deleteBullKeys, NotificationAppFixture, startNotificationApp } from './app.test-helpers';
import { Notification } from './notifications/notification.model';
import { NotificationsService } from './notifications/notifications.service';

// What the Order service's pact names (packages/service-client/src/pact/order-service.notification-service.pact.spec.ts).
const ORDER = '55555555-5555-4555-8555-555555555555';
const CUSTOMER = '65f0a1b2c3d4e5f601234567';

/**
 * The Notification service against the Order service's pact, as its real app on its own MongoDB
 * database, Bull prefix and SMTP inbox (the emails it accepts are delivered there). Provider
 * states are made through its own model and NotificationsService: no test-only route.
 */
describe('pacts: notification-service as provider', () => {
  let mongo: TestMongoDatabase;
  let smtp: SmtpInbox;
  let prefix: string;
  let service: NotificationAppFixture;
  let baseUrl: string;

  const noNotification = async () => {
    await service.app.get<Model<Notification>>(getModelToken(Notification.name)).deleteMany({});
  };

  const stateHandlers: StateHandlers = {
    'no notification is stored': noNotification,
    'a notification holds the dedupe key of an order’s confirmation for another user': async () => {
      await noNotification();
      await service.app.get(NotificationsService).create({
        userId: CUSTOMER,
        title: 'Order confirmed',
        description: `Your order #${ORDER} has been confirmed.`,
        notificationType: 'email',
        dedupeKey: `order-confirmed:${ORDER}`,
        recipient: { email: 'ann.smith@example.com' },
      });
    },
  };

  beforeAll(async () => {
    mongo = createTestMongoDatabase('notification_pacts');
    smtp = await startSmtpInbox();
    prefix = bullPrefix();
    service = await startNotificationApp({
      userServiceUrl: 'http://127.0.0.1:9',
      mongo,
      bullPrefix: prefix,
      smtp,
      env: { INTERNAL_API_KEY: PACT_INTERNAL_KEY },
    });
    await service.app.listen(0, '127.0.0.1');
    baseUrl = await service.app.getUrl();
  });
  afterAll(async () => {
    await service?.close();
    await Promise.all([smtp?.close(), mongo?.drop(), prefix ? deleteBullKeys(prefix) : undefined]);
  });

  it('honours every interaction its consumers rely on', async () => {
    await verifyPacts({ provider: 'notification-service', baseUrl, stateHandlers });
  });
});
