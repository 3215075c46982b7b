import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray } from 'class-validator';
import { IsUuid } from '../../common/validation';

export const MAX_LOOKUP_IDS = 500;

/** `POST /api/reservations/lookup`: the reservations of many orders at once. */
export class LookupReservationsDto {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: MAX_LOOKUP_IDS, description: `1 to ${MAX_LOOKUP_IDS} order ids` })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(MAX_LOOKUP_IDS)
  @IsUuid({ each: true })
  orderIds: string[];
}
