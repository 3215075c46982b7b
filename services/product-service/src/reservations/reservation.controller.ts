import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Response } from 'express';
import { ok } from '@shop/errors';
import { ApiEnvelope, ApiErrors, Restricted } from '../common/api-docs';
import { UuidParam } from '../common/uuid-param';
import { CreateReservationDto } from './dto/create-reservation.dto';
import { ReservationView, toReservationView } from './dto/reservation.view';
import { ReservationService } from './reservation.service';

@ApiTags('reservations (internal)')
@Controller('api/reservations')
@Restricted('internal')
export class ReservationController {
  constructor(private readonly reservations: ReservationService) {}

  @Post()
  @ApiOperation({
    summary: 'Reserve stock for an order: every line or none',
    description: 'Idempotent by orderId: a repeat with the same items returns the reservation (200) and moves no stock.',
  })
  @ApiEnvelope({ key: 'reservation', type: ReservationView, status: 201, description: 'Reserved, with the unit prices used' })
  @ApiEnvelope({ key: 'reservation', type: ReservationView, status: 200, description: 'A repeat: the reservation already made' })
  @ApiErrors(
    [400, 'VALIDATION_FAILED'],
    [404, 'PRODUCT_NOT_FOUND: a line names no product (nothing was reserved)'],
    [409, 'INSUFFICIENT_STOCK, PRODUCT_INACTIVE (nothing was reserved), RESERVATION_MISMATCH or RESERVATION_NOT_ACTIVE'],
  )
  async reserve(@Body() body: CreateReservationDto, @Res({ passthrough: true }) res: Response) {
    const { reservation, created } = await this.reservations.reserve(body);
    res.status(created ? 201 : 200);
    return ok({ reservation: toReservationView(reservation) }, created ? 'Stock reserved' : 'Already reserved');
  }

  @Post(':orderId/confirm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm a reservation: the order is placed', description: 'Repeating it changes nothing.' })
  @ApiParam({ name: 'orderId', format: 'uuid' })
  @ApiEnvelope({ key: 'reservation', type: ReservationView, description: 'Confirmed' })
  @ApiErrors([400, 'INVALID_ID'], [404, 'RESERVATION_NOT_FOUND'], [409, 'RESERVATION_NOT_ACTIVE: released or expired'])
  async confirm(@UuidParam('orderId') orderId: string) {
    return ok({ reservation: toReservationView(await this.reservations.confirm(orderId)) }, 'Reservation confirmed');
  }

  @Post(':orderId/release')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Release a reservation: its stock returns',
    description: 'From reserved or confirmed. Releasing again, or releasing an expired reservation, changes nothing.',
  })
  @ApiParam({ name: 'orderId', format: 'uuid' })
  @ApiEnvelope({ key: 'reservation', type: ReservationView, description: 'Released (or already released/expired)' })
  @ApiErrors([400, 'INVALID_ID'], [404, 'RESERVATION_NOT_FOUND'])
  async release(@UuidParam('orderId') orderId: string) {
    return ok({ reservation: toReservationView(await this.reservations.release(orderId)) }, 'Reservation released');
  }

  @Get(':orderId')
  @ApiOperation({ summary: 'A reservation, for inspection' })
  @ApiParam({ name: 'orderId', format: 'uuid' })
  @ApiEnvelope({ key: 'reservation', type: ReservationView, description: 'The reservation' })
  @ApiErrors([400, 'INVALID_ID'], [404, 'RESERVATION_NOT_FOUND'])
  async get(@UuidParam('orderId') orderId: string) {
    return ok({ reservation: toReservationView(await this.reservations.get(orderId)) });
  }
}
