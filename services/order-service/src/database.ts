import 'reflect-metadata';
import { PostgresSettings, postgresConnectionOptions } from '@shop/config';
import { migrateExclusively } from '@shop/migrations';
import { DataSource, EntityManager } from 'typeorm';
import type { OrderServiceConfig } from './config';
import { CartItemEntity } from './cart/cart-item.entity';
import { CartRepository } from './cart/cart.repository';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema';
import { PendingOrdersIndex1764100000000 } from './migrations/1764100000000-pending-orders-index';
import { PlacementProtocol1764300000000 } from './migrations/1764300000000-placement-protocol';
import { OutboxTraceContext1764400000000 } from './migrations/1764400000000-outbox-trace-context';
import { OrderCounts1764500000000 } from './migrations/1764500000000-order-counts';
import { ReconciliationPasses1764600000000 } from './migrations/1764600000000-reconciliation-passes';
import { OrderItemEntity } from './orders/order-item.entity';
import { OrderEntity } from './orders/order.entity';
import { OrderRepository } from './orders/order.repository';
import { OutboxEntity } from './outbox/outbox.entity';
import { OutboxRepository } from './outbox/outbox.repository';

type DatabaseConfig = Pick<OrderServiceConfig, keyof PostgresSettings>;

/** The DataSource of the order database (not yet connected). The schema comes from migrations only. */
export function createDataSource(config: DatabaseConfig): DataSource {
  return new DataSource({
    ...postgresConnectionOptions(config),
    entities: [OrderEntity, OrderItemEntity, CartItemEntity, OutboxEntity],
    migrations: [
      InitialSchema1764000000000,
      PendingOrdersIndex1764100000000,
      PlacementProtocol1764300000000,
      OutboxTraceContext1764400000000,
      OrderCounts1764500000000,
      ReconciliationPasses1764600000000,
    ],
    synchronize: false,
    logging: false,
  });
}

/** Connects and brings the schema up to date, one instance at a time (see migrateExclusively). */
export async function connectAndMigrate(dataSource: DataSource): Promise<void> {
  await migrateExclusively(dataSource, 'order-service');
}

/** The repositories, all bound to one EntityManager (the pool, or one transaction). */
export interface Repositories {
  orders: OrderRepository;
  outbox: OutboxRepository;
  cart: CartRepository;
}

/** Gives services their repositories, and runs work that must commit as one in a transaction. */
export class Store implements Repositories {
  readonly orders: OrderRepository;
  readonly outbox: OutboxRepository;
  readonly cart: CartRepository;

  constructor(private readonly dataSource: DataSource) {
    ({ orders: this.orders, outbox: this.outbox, cart: this.cart } = repositoriesFor(dataSource.manager));
  }

  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => work(repositoriesFor(manager)));
  }

  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}

function repositoriesFor(manager: EntityManager): Repositories {
  return { orders: new OrderRepository(manager), outbox: new OutboxRepository(manager), cart: new CartRepository(manager) };
}
