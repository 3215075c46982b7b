import { setTimeout as sleep } from 'node:timers/promises';
import type { AuthenticatedUser } from '@shop/internal-auth';
import type { ProductServiceClient } from '@shop/service-client';
import type { NewOutboxMessage } from '../outbox/outbox-message';
import type { OrderItemEntity } from './order-item.entity';
import type { OrderEntity } from './order.entity';
import type { ShippingAddress } from './order-request.rules';
import type { StoredOrderStatus } from './order-status.rules';

/*
 * What the order use cases need from outside, as interfaces: PostgreSQL (order.repository.ts,
 * the outbox repository, database.ts's Store), the Product service (@shop/service-client) and
 * the clock implement them in production; the use-case specs hand in memory fakes
 * (orders/testing/).
 */

/** Who acts; the contact fields, known from the token check, address the customer's own emails. */
export type Actor = Pick<AuthenticatedUser, 'id' | 'role'> & Partial<Pick<AuthenticatedUser, 'email' | 'firstName' | 'lastName'>>;

export interface OrderClaim {
  id: string;
  userId: string;
  idempotencyKey: string | null;
  requestHash: string;
  shippingAddress: ShippingAddress | null;
}

export type NewOrderItem = Pick<OrderItemEntity, 'id' | 'productId' | 'productName' | 'unitPrice' | 'quantity' | 'lineTotal'>;

/** A keyset position in a user's orders list (newest first): created_at in whole microseconds since the epoch, and the id. */
export interface ListPosition {
  createdAtMicros: string;
  id: string;
}

/** Where a page of the orders list starts: after a position (keyset), else after `offset` rows. */
export interface ListPageRequest {
  limit: number;
  offset?: number;
  after?: ListPosition;
}

export interface ListPage {
  orders: OrderEntity[];
  total: number;
  /** The position of the page's last order, when more follow. */
  next?: ListPosition;
}

/** A keyset position in orders by last change: updated_at as PostgreSQL prints it (a JS Date would drop its microseconds). */
export interface ChangeCursor {
  updatedAt: string;
  id: string;
}

/** A reconciliation pass claimed by this replica: where the previous one settled, and the token that proves the claim. */
export interface PassClaim {
  token: string;
  settledUntil: Date;
}

/** The orders, their items and the reconciliation's bookmark (order.repository.ts says how each is stored). */
export interface OrderRecords {
  /** Inserts the order `pending`; false when this user's Idempotency-Key is already taken. */
  claim(claim: OrderClaim): Promise<boolean>;
  /**
   * pending → confirmed with its items, announcement and checked-out cart lines, as one commit;
   * null when no longer pending, 'cart-changed' (nothing written) when a checked-out line is no
   * longer in the cart as it was read.
   */
  confirmWithItems(
    orderId: string,
    items: readonly NewOrderItem[],
    totalAmount: string,
    announcement: NewOutboxMessage,
    cartLines?: readonly { productId: string; quantity: number }[],
  ): Promise<{ createdAt: Date; updatedAt: Date } | 'cart-changed' | null>;
  findByIdempotencyKey(userId: string, idempotencyKey: string): Promise<OrderEntity | null>;
  /** With its items. */
  findById(id: string): Promise<OrderEntity | null>;
  /** Reads the order and holds it for the surrounding transaction. */
  lockById(id: string): Promise<OrderEntity | null>;
  /** false when the order is no longer in `from`. */
  setStatus(id: string, from: StoredOrderStatus, to: StoredOrderStatus): Promise<boolean>;
  /** pending → abandoned for orders claimed more than `olderThanMs` ago; their ids. */
  abandonStale(olderThanMs: number, limit: number): Promise<string[]>;
  deletePending(id: string): Promise<boolean>;
  deleteAbandoned(id: string): Promise<boolean>;
  statusesOf(ids: readonly string[]): Promise<Map<string, StoredOrderStatus>>;
  listChanged(from: Date, to: Date, limit: number, after?: ChangeCursor): Promise<{ orders: OrderEntity[]; next?: ChangeCursor }>;
  claimPass(name: string, start: Date, leaseMs: number): Promise<PassClaim | null>;
  endPass(name: string, claim: PassClaim, settledUntil: Date | null): Promise<boolean>;
  listByUser(userId: string, page: ListPageRequest): Promise<ListPage>;
}

/** The outbox as the order rules write to it. */
export interface OutboxWriter {
  enqueue(message: NewOutboxMessage): Promise<void>;
  markSentByDedupeKey(dedupeKey: string): Promise<void>;
}

/** The repositories the order rules use, bound to the pool or to one transaction. */
export interface OrderRepositories {
  orders: OrderRecords;
  outbox: OutboxWriter;
}

/** The repositories, and a transaction for work that must commit as one. */
export interface OrderStore extends OrderRepositories {
  transaction<T>(work: (repos: OrderRepositories) => Promise<T>): Promise<T>;
}

/** What the order use cases ask of the Product service. */
export type OrderProducts = Pick<
  ProductServiceClient,
  'getProducts' | 'reserve' | 'release' | 'listHeldReservations' | 'lookupReservations'
>;

/** Time, so waiting and deadlines can be driven by a test. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => sleep(ms),
};
