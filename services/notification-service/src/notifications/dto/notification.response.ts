import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { NotificationDto, NotificationStatus, NotificationType } from '@shop/contracts';
import { NOTIFICATION_STATUSES, NOTIFICATION_TYPES, ReadableNotification } from '../notification.model';

/** The contract's NotificationDto, as documented in the OpenAPI description. */
export class NotificationResponse implements NotificationDto {
  @ApiProperty({ example: '6650b7f1c2a4e5d6f7a8b9c1' })
  id: string;

  @ApiProperty({ example: '6650b7f1c2a4e5d6f7a8b9c0' })
  userId: string;

  @ApiProperty({ example: 'Order confirmation' })
  title: string;

  @ApiProperty({ example: 'Your order #1042 is confirmed.' })
  description: string;

  @ApiProperty({ enum: NOTIFICATION_TYPES })
  notificationType: NotificationType;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  metadata?: Record<string, unknown>;

  @ApiPropertyOptional({ example: 'order-confirmation:1042' })
  dedupeKey?: string;

  @ApiProperty({ enum: NOTIFICATION_STATUSES, description: 'queued until delivered (sent) or given up (failed)' })
  status: NotificationStatus;

  @ApiProperty({ description: 'Delivery attempts so far', example: 1 })
  attempts: number;

  @ApiProperty({ type: String, nullable: true, description: 'Why the last attempt failed' })
  lastError: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  sentAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the recipient marked it read' })
  readAt: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt: string;
}

export function toNotificationResponse(record: ReadableNotification): NotificationDto {
  const dto: NotificationDto = {
    id: record._id.toHexString(),
    userId: record.userId,
    title: record.title,
    description: record.description,
    notificationType: record.notificationType,
    status: record.status,
    attempts: record.attempts,
    lastError: record.lastError ?? null,
    sentAt: record.sentAt?.toISOString() ?? null,
    readAt: record.readAt?.toISOString() ?? null,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
  if (record.metadata !== undefined && record.metadata !== null) dto.metadata = record.metadata;
  if (record.dedupeKey !== undefined && record.dedupeKey !== null) dto.dedupeKey = record.dedupeKey;
  return dto;
}
