import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { NotificationStatus, NotificationType } from '@shop/service-client';
import { NOTIFICATION_STATUSES, NOTIFICATION_TYPES } from '../notification.model';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** Far beyond any real inbox; keeps the skip a number the database accepts (a huge page was a 500). */
export const MAX_PAGE = 100_000;

/** The caller's own notifications: `GET /api/notifications/me`. */
export class MyNotificationsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page: number = 1;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    default: DEFAULT_PAGE_SIZE,
    description: `Larger values are capped at ${MAX_PAGE_SIZE}`,
  })
  @IsOptional()
  @Transform(({ value }) => (value === undefined ? value : Math.min(Number(value), MAX_PAGE_SIZE)))
  @IsInt()
  @Min(1)
  limit: number = DEFAULT_PAGE_SIZE;

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
  @ApiPropertyOptional({ description: "Only this user's notifications" })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'userId must be a user id (letters, digits, "_" or "-")' })
  userId?: string;
}
