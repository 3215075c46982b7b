import type { OutboxRepository } from '../outbox/outbox.repository';
import type { OrderRepository } from './order.repository';

/** The repositories the order rules use, bound to the pool or to one transaction. */
export interface OrderRepositories {
  orders: OrderRepository;
  outbox: OutboxRepository;
}

/**
 * What the order rules need of storage: their repositories, and a transaction for work that must
 * commit as one. database.ts's Store provides it; declaring it here keeps orders/ from importing
 * the composition that imports it.
 */
export interface OrderStore extends OrderRepositories {
  transaction<T>(work: (repos: OrderRepositories) => Promise<T>): Promise<T>;
}
