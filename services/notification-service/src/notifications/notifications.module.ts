import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { NotificationRead, NotificationReadSchema } from './notification-read.model';
import { NotificationReadRepository } from './notification-read.repository';
import { Notification, NotificationSchema } from './notification.model';
import { NotificationRepository } from './notification.repository';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';

/** Stored notifications and their rules, shared by the HTTP API, the delivery worker and the sweeper. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Notification.name, schema: NotificationSchema },
      { name: NotificationRead.name, schema: NotificationReadSchema },
    ]),
  ],
  providers: [NotificationRepository, NotificationReadRepository, NotificationsService],
  exports: [NotificationRepository, NotificationsService],
})
export class NotificationsModule {}

/** The HTTP API over notifications: left out of worker-only processes (API_ENABLED=false). */
@Module({
  imports: [NotificationsModule],
  controllers: [NotificationsController],
})
export class NotificationsApiModule {}
