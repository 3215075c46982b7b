import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiExtraModels, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Response } from 'express';
import { ok } from '@shop/contracts';
import { ApiEnvelope, ApiErrors, IdParam, Restricted, UUID_ID } from '@shop/nest-kit';
import { CreateReservationDto } from './dto/create-reservation.dto';
import { HeldReservationsQuery } from './dto/held-reservations.query';
import { LookupReservationsDto } from './dto/lookup-reservations.dto';
import { decodeHeldCursor, encodeHeldCursor } from './reservation-cursor';
import { HeldReservationResponse, ReservationResponse, toReservationResponse } from './dto/reservation.response';
import { ReservationsService } from './reservations.service';

@ApiTags('reservations (internal)')
@Controller('api/reservations')
@Restricted('internal')
export class ReservationsController {
  constructor(private readonly reservations: ReservationsService) {}

  @Post()
  @ApiOperation({
    summary: 'Reserve stock for an order: every line or none',
    description: 'Idempotent by orderId: a repeat with the same items returns the reservation (200) and moves no stock.',
  })
  @ApiEnvelope({ key: 'reservation', type: ReservationResponse, status: 201, description: 'Reserved, with the unit prices used' })
  @ApiEnvelope({ key: 'reservation', type: ReservationResponse, status: 200, description: 'A repeat: the reservation already made' })
  @ApiErrors(
    [400, 'VALIDATION_FAILED'],
    [404, 'PRODUCT_NOT_FOUND: a line names no product (nothing was reserved)'],
    [409, 'INSUFFICIENT_STOCK, PRODUCT_INACTIVE (nothing was reserved), RESERVATION_MISMATCH or RESERVATION_NOT_ACTIVE'],
  )
  async reserve(@Body() body: CreateReservationDto, @Res({ passthrough: true }) res: Response) {
    const { reservation, created } = await this.reservations.reserve(body);
    res.status(created ? 201 : 200);
    return ok({ reservation: toReservationResponse(reservation) }, created ? 'Stock reserved' : 'Already reserved');
  }

  @Get('held')
  @ApiOperation({
    summary: 'Reservations that still hold stock, oldest first (for reconciliation)',
    description: 'A keyset page: pass `nextCursor` back as `cursor` for the next one; it is null on the last page.',
  })
  @ApiExtraModels(HeldReservationResponse)
  @ApiResponse({
    status: 200,
    description: 'One page of held reservations',
    schema: {
      type: 'object',
      required: ['success', 'data'],
      properties: {
        success: { type: 'boolean', enum: [true] },
        data: {
          type: 'object',
          required: ['reservations', 'nextCursor'],
          properties: {
            reservations: { type: 'array', items: { $ref: getSchemaPath(HeldReservationResponse) } },
            nextCursor: { type: 'string', nullable: true, description: 'Send it back as `cursor`; null on the last page' },
          },
        },
      },
    },
  })
  @ApiErrors([400, 'VALIDATION_FAILED or INVALID_CURSOR'])
  async held(@Query() query: HeldReservationsQuery) {
    const limit = query.limit ?? 200;
    const rows = await this.reservations.listHeld({
      createdAfter: query.createdAfter,
      createdBefore: query.createdBefore ?? new Date(),
      limit,
      after: query.cursor === undefined ? undefined : decodeHeldCursor(query.cursor),
    });
    const last = rows.at(-1);
    return ok({
      reservations: rows.map((r) => ({ orderId: r.orderId, status: r.status, createdAt: r.createdAt.toISOString() })),
      nextCursor: rows.length === limit && last ? encodeHeldCursor(last.cursor) : null,
    });
  }

  @Post('lookup')
  @HttpCode(200)
  @ApiOperation({ summary: 'The reservations of many orders, with their lines (orders without one are left out)' })
  @ApiEnvelope({ key: 'reservations', type: ReservationResponse, isArray: true, description: 'The reservations found' })
  @ApiErrors([400, 'VALIDATION_FAILED'])
  async lookup(@Body() body: LookupReservationsDto) {
    const found = await this.reservations.findMany(body.orderIds);
    return ok({ reservations: found.map(toReservationResponse) });
  }

  @Post(':orderId/confirm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm a reservation: the order is placed', description: 'Repeating it changes nothing.' })
  @ApiEnvelope({ key: 'reservation', type: ReservationResponse, description: 'Confirmed' })
  @ApiErrors([400, 'INVALID_ID'], [404, 'RESERVATION_NOT_FOUND'], [409, 'RESERVATION_NOT_ACTIVE: released or expired'])
  async confirm(@IdParam('orderId', UUID_ID) orderId: string) {
    return ok({ reservation: toReservationResponse(await this.reservations.confirm(orderId)) }, 'Reservation confirmed');
  }

  @Post(':orderId/release')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Release a reservation: its stock returns',
    description:
      'From reserved or confirmed. Releasing again, or releasing an expired reservation, changes nothing. Releasing an order with no reservation records it as released (no items), so a reserve for it that arrives later is refused.',
  })
  @ApiEnvelope({ key: 'reservation', type: ReservationResponse, description: 'Released (or already released/expired)' })
  @ApiErrors([400, 'INVALID_ID'])
  async release(@IdParam('orderId', UUID_ID) orderId: string) {
    return ok({ reservation: toReservationResponse(await this.reservations.release(orderId)) }, 'Reservation released');
  }

  @Get(':orderId')
  @ApiOperation({ summary: 'A reservation, for inspection' })
  @ApiEnvelope({ key: 'reservation', type: ReservationResponse, description: 'The reservation' })
  @ApiErrors([400, 'INVALID_ID'], [404, 'RESERVATION_NOT_FOUND'])
  async get(@IdParam('orderId', UUID_ID) orderId: string) {
    return ok({ reservation: toReservationResponse(await this.reservations.get(orderId)) });
  }
}
