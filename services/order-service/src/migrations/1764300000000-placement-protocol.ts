import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the crash-safe placement protocol needs (docs/architecture.md, "Placing an order"):
 * - `abandoned`: an order whose placement was given up; its stock release is queued in the
 *   outbox, and the order row is removed once the stock is known to be back.
 * - outbox `topic`: the outbox carries every call that must happen after a commit and be
 *   retried until done — notifications and stock releases.
 * - amounts wide enough for any valid order: a product may cost up to 1e9, times 100 units a
 *   line, times 50 lines (numeric(12,2) overflowed at 1e10).
 * - the reconciliation pages live orders by age.
 */
export class PlacementProtocol1764300000000 implements MigrationInterface {
  name = 'PlacementProtocol1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE orders DROP CONSTRAINT orders_status_check`);
    await queryRunner.query(
      `ALTER TABLE orders ADD CONSTRAINT orders_status_check
         CHECK (status IN ('pending', 'confirmed', 'shipped', 'delivered', 'cancelled', 'abandoned'))`,
    );
    await queryRunner.query(`ALTER TABLE orders ALTER COLUMN total_amount TYPE numeric(20,2)`);
    await queryRunner.query(
      `ALTER TABLE order_items ALTER COLUMN unit_price TYPE numeric(20,2), ALTER COLUMN line_total TYPE numeric(20,2)`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_orders_live_created ON orders (created_at, id) WHERE status IN ('confirmed', 'shipped', 'delivered')`,
    );
    await queryRunner.query(`DROP INDEX ix_orders_pending_created`);
    await queryRunner.query(`CREATE INDEX ix_orders_unfinished_created ON orders (created_at) WHERE status IN ('pending', 'abandoned')`);

    await queryRunner.query(`ALTER TABLE outbox ADD COLUMN topic varchar(30) NOT NULL DEFAULT 'notification'`);
    await queryRunner.query(`ALTER TABLE outbox ADD CONSTRAINT outbox_topic_check CHECK (topic IN ('notification', 'stock-release'))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox DROP CONSTRAINT outbox_topic_check`);
    await queryRunner.query(`ALTER TABLE outbox DROP COLUMN topic`);
    await queryRunner.query(`DROP INDEX ix_orders_unfinished_created`);
    await queryRunner.query(`CREATE INDEX ix_orders_pending_created ON orders (created_at) WHERE status = 'pending'`);
    await queryRunner.query(`DROP INDEX ix_orders_live_created`);
    await queryRunner.query(
      `ALTER TABLE order_items ALTER COLUMN unit_price TYPE numeric(12,2), ALTER COLUMN line_total TYPE numeric(12,2)`,
    );
    await queryRunner.query(`ALTER TABLE orders ALTER COLUMN total_amount TYPE numeric(12,2)`);
    await queryRunner.query(`DELETE FROM orders WHERE status = 'abandoned'`);
    await queryRunner.query(`ALTER TABLE orders DROP CONSTRAINT orders_status_check`);
    await queryRunner.query(
      `ALTER TABLE orders ADD CONSTRAINT orders_status_check CHECK (status IN ('pending', 'confirmed', 'shipped', 'delivered', 'cancelled'))`,
    );
  }
}
