import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The stale-order recovery asks "which orders are still pending, oldest first?" every
 * STALE_ORDER_SWEEP_INTERVAL_MS on every instance: a partial index keeps that a scan of the few
 * pending rows instead of the whole orders table.
 */
export class PendingOrdersIndex1764100000000 implements MigrationInterface {
  name = 'PendingOrdersIndex1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX ix_orders_pending_created ON orders (created_at) WHERE status = 'pending'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ix_orders_pending_created`);
  }
}
