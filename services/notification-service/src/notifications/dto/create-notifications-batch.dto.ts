import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, ValidateBy, ValidateNested } from 'class-validator';
import { CreateNotificationDto } from './create-notification.dto';

export const MAX_BATCH = 100;

/** Every notification of a batch names its dedupeKey, so that repeating the batch is safe. */
const EachHasDedupeKey = () =>
  ValidateBy({
    name: 'eachHasDedupeKey',
    validator: {
      validate: (value: unknown) =>
        Array.isArray(value) && value.every((n) => typeof (n as { dedupeKey?: unknown } | null)?.dedupeKey === 'string'),
      defaultMessage: () => 'every notification of a batch must have a dedupeKey',
    },
  });

/** `POST /api/notifications/batch`: many notifications stored and queued at once. */
@ApiExtraModels(CreateNotificationDto)
export class CreateNotificationsBatchDto {
  @ApiProperty({
    type: 'array',
    // EachHasDedupeKey in the document's terms: a notification whose dedupeKey is required.
    items: { allOf: [{ $ref: getSchemaPath(CreateNotificationDto) }], required: ['dedupeKey'] },
    minItems: 1,
    maxItems: MAX_BATCH,
    description: `1 to ${MAX_BATCH} notifications, each with a dedupeKey`,
  })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(MAX_BATCH)
  @EachHasDedupeKey()
  @ValidateNested({ each: true })
  @Type(() => CreateNotificationDto)
  notifications: CreateNotificationDto[];
}
