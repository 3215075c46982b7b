import type { CartRepository } from './cart.repository';

/** What the cart needs of storage (database.ts's Store provides it). */
export interface CartStore {
  cart: CartRepository;
  transaction<T>(work: (repos: { cart: CartRepository }) => Promise<T>): Promise<T>;
}
