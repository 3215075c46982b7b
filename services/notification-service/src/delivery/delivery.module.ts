import { DynamicModule, Module, Provider } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { NotificationType } from '@shop/contracts';
import { NotificationsModule } from '../notifications/notifications.module';
import { DeliveryClaim, DeliveryClaimSchema } from './delivery-claim.model';
import { DeliveryClaimRepository } from './delivery-claim.repository';
import { DeliveryClaims } from './delivery-claims';
import { ClaimPurger } from './claim-purger';
import { DeliveryMetrics } from './delivery.metrics';
import { DeliveryProcessor } from './delivery.processor';
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

/** Delivery of queued notifications: the Bull worker, the recipient lookup and one transport per channel. */
@Module({})
export class DeliveryModule {
  /** `transports` replaces a channel's default provider (e.g. a Twilio SMS transport). */
  static register(transports: TransportOverrides = {}): DynamicModule {
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
        DeliveryProcessor,
      ],
      exports: [...Object.values(TRANSPORT_TOKENS), DeliveryProcessor],
    };
  }
}
