import { DynamicModule, Module, Provider } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { NotificationType } from '@shop/contracts';
import { NotificationsModule } from '../notifications/notifications.module';
import { DeliveryClaim, DeliveryClaimSchema } from './delivery-claim.model';
import { DeliveryClaimRepository } from './delivery-claim.repository';
import { DeliveryClaims } from './delivery-claims';
import { ClaimPurger } from './claim-purger';
import { DeliveryMetrics } from './delivery.metrics';
import { NotificationServiceConfig } from '../config';
import { deliveryProcessor } from './delivery.processor';
import { DeliveryService } from './delivery.service';
import { SmtpEmailTransport } from './email.transport';
import { NotificationTransport, TRANSPORT_TOKENS } from './notification-transport';
import { RecordingPushTransport } from './push.transport';
import { RecipientLookup } from './recipient.lookup';
import { RecordingSmsTransport } from './sms.transport';
import { SentWriter } from './sent-writer';

export type TransportOverrides = Partial<Record<NotificationType, NotificationTransport>>;

const DEFAULT_TRANSPORTS = {
  email: SmtpEmailTransport,
  sms: RecordingSmsTransport,
  push: RecordingPushTransport,
} as const;

/**
 * Delivery of queued notifications: the delivery story (DeliveryService), the recipient lookup,
 * one transport per channel and, in a worker process (WORKER_ENABLED), the Bull consumer.
 */
@Module({})
export class DeliveryModule {
  /** `transports` replaces a channel's default provider (e.g. a Twilio SMS transport). */
  static register(
    config: Pick<NotificationServiceConfig, 'WORKER_ENABLED' | 'NOTIFY_CONCURRENCY'>,
    transports: TransportOverrides = {},
  ): DynamicModule {
    const transportProviders: Provider[] = (Object.keys(TRANSPORT_TOKENS) as NotificationType[]).map((channel) => {
      const override = transports[channel];
      return override
        ? { provide: TRANSPORT_TOKENS[channel], useValue: override }
        : { provide: TRANSPORT_TOKENS[channel], useClass: DEFAULT_TRANSPORTS[channel] };
    });
    return {
      module: DeliveryModule,
      imports: [NotificationsModule, MongooseModule.forFeature([{ name: DeliveryClaim.name, schema: DeliveryClaimSchema }])],
      providers: [
        ...transportProviders,
        DeliveryClaimRepository,
        DeliveryClaims,
        ClaimPurger,
        SentWriter,
        RecipientLookup,
        DeliveryMetrics,
        DeliveryService,
        ...(config.WORKER_ENABLED ? [deliveryProcessor(config.NOTIFY_CONCURRENCY)] : []),
      ],
      exports: Object.values(TRANSPORT_TOKENS),
    };
  }
}
