import { ConflictError, NotFoundError } from '@shop/errors';
import { ReservationStatus } from '@shop/contracts';

export const reservationNotFound = (orderId: string) =>
  new NotFoundError(`There is no reservation for order ${orderId}`, { code: 'RESERVATION_NOT_FOUND' });

export const reservationMismatch = (orderId: string) =>
  new ConflictError(`Order ${orderId} already has a reservation with different items`, { code: 'RESERVATION_MISMATCH' });

export const reservationNotActive = (orderId: string, status: ReservationStatus) =>
  new ConflictError(`The reservation for order ${orderId} is ${status}: its stock is no longer held`, {
    code: 'RESERVATION_NOT_ACTIVE',
    details: [{ message: `status is ${status}`, status }],
  });
