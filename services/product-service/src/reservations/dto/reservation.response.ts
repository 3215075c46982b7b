import { ApiProperty } from '@nestjs/swagger';
import { ReservationDto, ReservationLineDto, ReservationStatus } from '@shop/contracts';
import { ReservationEntity } from '../reservation.entity';

export class ReservationLineResponse implements ReservationLineDto {
  @ApiProperty({ format: 'uuid' })
  productId: string;

  @ApiProperty({ example: 'Laptop Computer', description: 'The product name when it was reserved' })
  name: string;

  @ApiProperty({ example: 2 })
  quantity: number;

  @ApiProperty({ example: 999.99, description: 'The unit price the stock was reserved at (exact, two decimals)' })
  unitPrice: number;
}

/** A reservation as the API returns it (`data.reservation`): the contract's ReservationDto. */
export class ReservationResponse implements ReservationDto {
  @ApiProperty({ format: 'uuid' })
  orderId: string;

  @ApiProperty({ enum: ['reserved', 'confirmed', 'released', 'expired'] })
  status: ReservationStatus;

  @ApiProperty({ type: [ReservationLineResponse] })
  items: ReservationLineResponse[];

  @ApiProperty({ format: 'date-time', description: 'When the stock returns unless the reservation is confirmed' })
  expiresAt: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export const toReservationResponse = (reservation: ReservationEntity): ReservationResponse => ({
  orderId: reservation.orderId,
  status: reservation.status,
  items: reservation.items.map((item) => ({
    productId: item.productId,
    name: item.name,
    quantity: item.quantity,
    unitPrice: item.unitPrice,
  })),
  expiresAt: reservation.expiresAt.toISOString(),
  createdAt: reservation.createdAt.toISOString(),
  updatedAt: reservation.updatedAt.toISOString(),
});

/** A reservation that still holds stock, as `GET /api/reservations/held` lists it. */
export class HeldReservationResponse {
  @ApiProperty({ format: 'uuid' })
  orderId: string;

  @ApiProperty({ enum: ['reserved', 'confirmed'] })
  status: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}
