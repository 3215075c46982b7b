import { HttpServiceClient } from './http-service-client';
import { ProductDto, ReservationDto, ReservationLineInput } from './contracts';

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

  /** `POST /api/reservations`: reserves every line or none; idempotent by order id, so retried. */
  reserve(orderId: string, items: readonly ReservationLineInput[]): Promise<ReservationDto> {
    return this.http
      .call<{ reservation: ReservationDto }>({
        method: 'POST',
        path: '/api/reservations',
        body: { orderId, items },
        idempotencyKey: `reserve:${orderId}`,
      })
      .then((d) => d.reservation);
  }

  /** `POST /api/reservations/:orderId/confirm`: the order is written; the stock is sold for good. */
  confirm(orderId: string): Promise<ReservationDto> {
    return this.http
      .call<{ reservation: ReservationDto }>({
        method: 'POST',
        path: `/api/reservations/${encodeURIComponent(orderId)}/confirm`,
        idempotencyKey: `confirm:${orderId}`,
      })
      .then((d) => d.reservation);
  }

  /** `POST /api/reservations/:orderId/release`: gives the reserved stock back; harmless to repeat. */
  release(orderId: string): Promise<ReservationDto> {
    return this.http
      .call<{ reservation: ReservationDto }>({
        method: 'POST',
        path: `/api/reservations/${encodeURIComponent(orderId)}/release`,
        idempotencyKey: `release:${orderId}`,
      })
      .then((d) => d.reservation);
  }
}
