import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { PageQuery } from '@shop/nest-kit';
import { NotificationStatus, NotificationType } from '@shop/contracts';
import { NOTIFICATION_STATUSES, NOTIFICATION_TYPES } from '../notification.model';

/** The caller's own notifications: `GET /api/notifications/me`. */
export class MyNotificationsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: NOTIFICATION_TYPES, description: 'Only this channel' })
  @IsOptional()
  @IsIn(NOTIFICATION_TYPES)
  type?: NotificationType;

  @ApiPropertyOptional({ enum: NOTIFICATION_STATUSES, description: 'Only this status' })
  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES)
  status?: NotificationStatus;
}

/** Anyone's notifications, for other services and admins: `GET /api/notifications`. */
export class ListNotificationsQuery extends MyNotificationsQuery {
  @ApiPropertyOptional({ description: "Only this user's notifications", minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'userId must be a user id (letters, digits, "_" or "-")' })
  userId?: string;
}
