import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsString, Length, Matches, ValidateIf, ValidateNested } from 'class-validator';
import { CreateNotificationInput, NotificationType } from '@shop/contracts';
import { NOTIFICATION_TYPES } from '../notification.model';
import { NotificationRecipientDto } from './notification-recipient.dto';
import { IsOneVisibleLine, ONE_VISIBLE_LINE_PATTERN, VISIBLE_TEXT_PATTERN } from './one-visible-line.validator';
import { IsSmallPlainObject } from './small-plain-object.validator';

export const METADATA_LIMITS = { maxBytes: 2048, maxDepth: 3 };

/** Like @IsOptional, but an explicit null is an error rather than "absent". */
export const IsOmittable = () => ValidateIf((_object, value) => value !== undefined);

export class CreateNotificationDto implements CreateNotificationInput {
  @ApiProperty({
    description: 'The recipient: a User service user id',
    example: '6650b7f1c2a4e5d6f7a8b9c0',
    minLength: 1,
    maxLength: 64,
    pattern: '^[A-Za-z0-9_-]+$',
  })
  @IsString()
  @Length(1, 64)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'userId must be a user id (letters, digits, "_" or "-")' })
  userId: string;

  @ApiProperty({
    description: 'One line: the email subject, the push title',
    example: 'Order confirmation',
    minLength: 1,
    maxLength: 200,
    pattern: ONE_VISIBLE_LINE_PATTERN,
  })
  @IsString()
  @Length(1, 200)
  @IsOneVisibleLine({ message: 'title must be one line of visible text' })
  title: string;

  @ApiProperty({
    description: 'The message body',
    example: 'Your order #1042 is confirmed.',
    minLength: 1,
    maxLength: 5000,
    pattern: VISIBLE_TEXT_PATTERN,
  })
  @IsString()
  @Length(1, 5000)
  @Matches(/\S/, { message: 'description must not be blank' })
  description: string;

  @ApiProperty({ enum: NOTIFICATION_TYPES, example: 'email' })
  @IsIn(NOTIFICATION_TYPES)
  notificationType: NotificationType;

  @ApiPropertyOptional({
    description:
      `Free data for the caller: a JSON object of at most ${METADATA_LIMITS.maxBytes} bytes, nested at most ${METADATA_LIMITS.maxDepth} levels, ` +
      'no key starting with "$" or containing "." or NUL, no array directly inside an array (what MongoDB stores as data)',
    type: 'object',
    additionalProperties: true,
    example: { orderId: '1042' },
  })
  @IsOmittable()
  @IsSmallPlainObject(METADATA_LIMITS)
  metadata?: Record<string, unknown>;

  @ApiPropertyOptional({
    description: 'Makes the request safe to repeat: a repeat with the same key returns the first notification (200) and sends nothing',
    example: 'order-confirmation:1042',
    minLength: 1,
    maxLength: 200,
  })
  @IsOmittable()
  @IsString()
  @Length(1, 200)
  dedupeKey?: string;

  @ApiPropertyOptional({
    type: NotificationRecipientDto,
    description: 'For email: where to send it, when the caller knows (otherwise the User service is asked)',
  })
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => NotificationRecipientDto)
  recipient?: NotificationRecipientDto;
}
