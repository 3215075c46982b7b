import type { ProductServiceClient } from '@shop/service-client';
import type { OrderUseCases } from '../orders/order-use-cases';
import type { CartRepository } from './cart.repository';

/*
 * What the cart use cases need from outside: PostgreSQL (database.ts's Store), the Product
 * service (@shop/service-client) and, for a checkout, the order use cases.
 */

export interface CartStore {
  cart: CartRepository;
  transaction<T>(work: (repos: { cart: CartRepository }) => Promise<T>): Promise<T>;
}

export type CartProducts = Pick<ProductServiceClient, 'getProduct' | 'getProducts'>;

/** A checkout places its order through the order use cases, as POST /api/orders does. */
export type CartOrders = Pick<OrderUseCases, 'placeOrder' | 'getOrderByIdempotencyKey'>;
