import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsDate, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { NumberString } from '../../common/validation';

export const MAX_HELD_PAGE = 1000;

/** `GET /api/reservations/held`: a keyset page of reservations that still hold stock. */
export class HeldReservationsQuery {
  @ApiPropertyOptional({ format: 'date-time', description: 'Only reservations created at or after this time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  createdAfter?: Date;

  @ApiPropertyOptional({ format: 'date-time', description: 'Only reservations created before this time (default: now)' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  createdBefore?: Date;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page', maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/^[A-Za-z0-9_-]+$/)
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_HELD_PAGE, default: 200 })
  @IsOptional()
  @NumberString()
  @IsInt()
  @Min(1)
  @Max(MAX_HELD_PAGE)
  limit?: number;
}
