import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsBoolean, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { ReservationLineInput } from '@shop/contracts';
import { IsUuid } from '../../common/validation';
import { MAX_LINE_QUANTITY, MAX_RESERVATION_LINES } from '../reservation.rules';

export class ReservationLineInputDto implements ReservationLineInput {
  @ApiProperty({ format: 'uuid' })
  @IsUuid()
  productId: string;

  @ApiProperty({ type: 'integer', example: 2, minimum: 1, maximum: MAX_LINE_QUANTITY })
  @IsInt()
  @Min(1)
  @Max(MAX_LINE_QUANTITY)
  quantity: number;
}

export class CreateReservationDto {
  @ApiProperty({ format: 'uuid', description: 'The order the stock is held for; repeating a request with it is harmless' })
  @IsUuid()
  orderId: string;

  @ApiProperty({
    type: [ReservationLineInputDto],
    minItems: 1,
    maxItems: MAX_RESERVATION_LINES,
    description: `1 to ${MAX_RESERVATION_LINES} lines; lines of the same product are added up`,
  })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(MAX_RESERVATION_LINES)
  @ValidateNested({ each: true })
  @Type(() => ReservationLineInputDto)
  items: ReservationLineInputDto[];

  @ApiPropertyOptional({
    description:
      'Hold the stock as `confirmed` at once, with no expiry: for a caller that records the order before reserving and releases the stock itself if the order fails. Default false: `reserved`, returned after the TTL unless confirmed.',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  confirm?: boolean;
}
