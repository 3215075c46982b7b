import { UpstreamRejectionError } from '@shop/errors';
import type { HeldReservationsPage, ProductDto, ReservationDto, ReservationLineInput, ReservationStatus } from '@shop/service-client';
import type { Clock, OrderProducts } from '../order.ports';

interface Stocked {
  name: string;
  price: number;
  stock: number;
}

/**
 * The Product service as the order use cases call it, in memory: a catalogue with stock and
 * reservations keyed by order id, refusing as the real one does (404 unknown product, 409
 * short), idempotent by order id. `onReserve` runs before a reserve is answered, so a test can
 * make it fail (before or after the stock is held) or change the world meanwhile.
 */
export class InMemoryProducts implements OrderProducts {
  readonly catalogue = new Map<string, Stocked>();
  readonly reservations = new Map<string, ReservationDto>();
  readonly released: string[] = [];
  readonly reserveCalls: string[] = [];
  /** Runs around each reserve: `before` the Product service sees it, `after` it has held the stock. */
  onReserve?: { before?: (orderId: string) => Promise<void> | void; after?: (orderId: string) => Promise<void> | void };

  constructor(private readonly clock: Clock) {}

  stock(productId: string, name: string, price: number, stock: number): void {
    this.catalogue.set(productId, { name, price, stock });
  }

  /** A reservation as the Product service may hold it, made by whatever means. */
  hold(
    orderId: string,
    lines: ReservationLineInput[],
    status: ReservationStatus = 'confirmed',
    createdAt = new Date(this.clock.now()),
  ): void {
    const at = createdAt.toISOString();
    this.reservations.set(orderId, {
      orderId,
      status,
      items: lines.map((l) => ({
        ...l,
        name: this.catalogue.get(l.productId)?.name ?? 'product',
        unitPrice: this.catalogue.get(l.productId)?.price ?? 1,
      })),
      expiresAt: at,
      createdAt: at,
      updatedAt: at,
    });
  }

  async reserve(orderId: string, items: readonly ReservationLineInput[]): Promise<ReservationDto> {
    this.reserveCalls.push(orderId);
    await this.onReserve?.before?.(orderId);
    const earlier = this.reservations.get(orderId);
    if (earlier) {
      if (earlier.status === 'released') throw refusal(409, 'RESERVATION_NOT_ACTIVE', `The reservation of order ${orderId} was released`);
      return earlier;
    }
    const unknown = items.filter((l) => !this.catalogue.has(l.productId));
    if (unknown.length) {
      throw refusal(
        404,
        'PRODUCT_NOT_FOUND',
        'Products not found',
        unknown.map((l) => ({ message: 'not found', productId: l.productId })),
      );
    }
    const short = items.find((l) => this.catalogue.get(l.productId)!.stock < l.quantity);
    if (short) throw refusal(409, 'INSUFFICIENT_STOCK', `Not enough ${this.catalogue.get(short.productId)!.name}`);
    for (const l of items) this.catalogue.get(l.productId)!.stock -= l.quantity;
    this.hold(orderId, [...items]);
    await this.onReserve?.after?.(orderId);
    return this.reservations.get(orderId)!;
  }

  async release(orderId: string): Promise<ReservationDto> {
    this.released.push(orderId);
    const held = this.reservations.get(orderId);
    if (held && (held.status === 'confirmed' || held.status === 'reserved')) {
      for (const l of held.items) this.catalogue.get(l.productId)!.stock += l.quantity;
    }
    // Releasing what was never reserved records it released, so a late reserve is refused.
    if (!held) this.hold(orderId, [], 'released');
    const released = { ...this.reservations.get(orderId)!, status: 'released' as const };
    this.reservations.set(orderId, released);
    return released;
  }

  async getProducts(ids: readonly string[]): Promise<ProductDto[]> {
    return ids.flatMap((id) => {
      const p = this.catalogue.get(id);
      if (!p) return [];
      const at = new Date(this.clock.now()).toISOString();
      return [
        { id, name: p.name, price: p.price, stock: p.stock, categoryId: 'c', tags: [], isActive: true, createdAt: at, updatedAt: at },
      ];
    });
  }

  async listHeldReservations(query: { createdAfter?: Date; createdBefore: Date }): Promise<HeldReservationsPage> {
    const held = [...this.reservations.values()].filter(
      (r) =>
        (r.status === 'confirmed' || r.status === 'reserved') &&
        Date.parse(r.createdAt) < query.createdBefore.getTime() &&
        (query.createdAfter === undefined || Date.parse(r.createdAt) >= query.createdAfter.getTime()),
    );
    return { reservations: held.map(({ orderId, status, createdAt }) => ({ orderId, status, createdAt })), nextCursor: null };
  }

  async lookupReservations(orderIds: readonly string[]): Promise<ReservationDto[]> {
    return orderIds.flatMap((id) => (this.reservations.has(id) ? [this.reservations.get(id)!] : []));
  }
}

function refusal(
  status: number,
  code: string,
  message: string,
  details?: Array<{ message: string; productId: string }>,
): UpstreamRejectionError {
  return new UpstreamRejectionError('product-service', status, code, message, { details });
}
