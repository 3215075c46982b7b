import { HttpServiceClient } from './http-service-client';
import { HeldReservationsPage, ProductDto, ReservationDto, ReservationLineInput } from '@shop/contracts';

export class ProductServiceClient {
  constructor(readonly http: HttpServiceClient) {}

  /** At most this many ids per batch read (the Product service refuses more). */
  static readonly MAX_BATCH_IDS = 100;

  /**
   * `GET /api/products/batch?ids=a,b,c`: many products in one call (at most MAX_BATCH_IDS
   * distinct ids); unknown ids are simply absent.
   */
  getProducts(ids: readonly string[]): Promise<ProductDto[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.http
      .call<{ products: ProductDto[] }>({ method: 'GET', path: '/api/products/batch', query: { ids: [...new Set(ids)].join(',') } })
      .then((d) => d.products);
  }

  getProduct(id: string): Promise<ProductDto> {
    return this.http
      .call<{ product: ProductDto }>({ method: 'GET', path: `/api/products/${encodeURIComponent(id)}` })
      .then((d) => d.product);
  }

  /**
   * `PUT /api/products/:id/stock {quantity}`: moves stock by a delta, never below zero. A delta is
   * not safe to repeat, so this call is never retried.
   */
  adjustStock(productId: string, delta: number): Promise<ProductDto> {
    return this.http
      .call<{ product: ProductDto }>({
        method: 'PUT',
        path: `/api/products/${encodeURIComponent(productId)}/stock`,
        body: { quantity: delta },
        retry: false,
      })
      .then((d) => d.product);
  }

  /**
   * `POST /api/reservations`: checks, prices and reserves every line or none, in one call;
   * idempotent by order id, so retried. With `confirm`, the stock is held as `confirmed` at once
   * (no expiry): the caller has recorded its order first and releases the stock if it fails.
   */
  reserve(orderId: string, items: readonly ReservationLineInput[], options: { confirm?: boolean } = {}): Promise<ReservationDto> {
    return this.http
      .call<{ reservation: ReservationDto }>({
        method: 'POST',
        path: '/api/reservations',
        body: options.confirm ? { orderId, items, confirm: true } : { orderId, items },
        idempotencyKey: `reserve:${orderId}`,
      })
      .then((d) => d.reservation);
  }

  /**
   * `POST /api/reservations/:orderId/release`: gives the reserved stock back; harmless to repeat.
   * An order that has no reservation yet is recorded as released, so a reserve still on its way
   * is refused (RESERVATION_NOT_ACTIVE) instead of holding stock for a given-up order.
   */
  release(orderId: string, options: { retry?: boolean } = {}): Promise<ReservationDto> {
    return this.http
      .call<{ reservation: ReservationDto }>({
        method: 'POST',
        path: `/api/reservations/${encodeURIComponent(orderId)}/release`,
        idempotencyKey: `release:${orderId}`,
        retry: options.retry,
      })
      .then((d) => d.reservation);
  }

  /** `GET /api/reservations/held`: a keyset page of reservations still holding stock, oldest first. */
  listHeldReservations(query: {
    createdAfter?: Date;
    createdBefore: Date;
    cursor?: string;
    limit?: number;
  }): Promise<HeldReservationsPage> {
    return this.http.call<HeldReservationsPage>({
      method: 'GET',
      path: '/api/reservations/held',
      query: {
        ...(query.createdAfter === undefined ? {} : { createdAfter: query.createdAfter.toISOString() }),
        createdBefore: query.createdBefore.toISOString(),
        ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
        ...(query.limit === undefined ? {} : { limit: String(query.limit) }),
      },
    });
  }

  /** `POST /api/reservations/lookup`: the reservations of these orders (a read, so retried). */
  lookupReservations(orderIds: readonly string[]): Promise<ReservationDto[]> {
    if (orderIds.length === 0) return Promise.resolve([]);
    return this.http
      .call<{ reservations: ReservationDto[] }>({
        method: 'POST',
        path: '/api/reservations/lookup',
        body: { orderIds },
        retry: true,
      })
      .then((d) => d.reservations);
  }
}
