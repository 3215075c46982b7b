import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The orders list's total, kept per customer instead of counted on every page: counting read
 * every order of the customer, so a page cost as much as the whole history. The count is kept
 * by a trigger in the same transaction as every change of `orders`, so it is exact whoever
 * writes the row (the placement, the sweeper, the relay, a hand edit); it counts what the list
 * shows, every order but `abandoned` ones. TRUNCATE (tests, a hand reset) empties it too.
 *
 * Migrations run in one transaction and CREATE TRIGGER blocks writes to `orders` until it
 * commits, so the backfill below cannot miss or double-count a concurrent change.
 */
export class OrderCounts1764500000000 implements MigrationInterface {
  name = 'OrderCounts1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE order_counts (
        user_id varchar(64) PRIMARY KEY,
        listed  integer     NOT NULL CHECK (listed >= 0)
      )`);
    await queryRunner.query(`
      CREATE FUNCTION order_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        was_listed boolean := TG_OP <> 'INSERT' AND OLD.status <> 'abandoned';
        is_listed  boolean := TG_OP <> 'DELETE' AND NEW.status <> 'abandoned';
      BEGIN
        -- Most updates (confirmed -> shipped ...) change nothing the list counts: no write at all.
        IF TG_OP = 'UPDATE' AND was_listed = is_listed AND OLD.user_id = NEW.user_id THEN
          RETURN NULL;
        END IF;
        IF was_listed THEN
          UPDATE order_counts SET listed = listed - 1 WHERE user_id = OLD.user_id;
        END IF;
        IF is_listed THEN
          INSERT INTO order_counts (user_id, listed) VALUES (NEW.user_id, 1)
          ON CONFLICT (user_id) DO UPDATE SET listed = order_counts.listed + 1;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER orders_count_listed AFTER INSERT OR DELETE OR UPDATE OF status, user_id ON orders
        FOR EACH ROW EXECUTE FUNCTION order_counts_track()`);
    await queryRunner.query(`
      CREATE FUNCTION order_counts_reset() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM order_counts;
        RETURN NULL;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER orders_count_reset AFTER TRUNCATE ON orders FOR EACH STATEMENT EXECUTE FUNCTION order_counts_reset()`,
    );
    await queryRunner.query(
      `INSERT INTO order_counts (user_id, listed) SELECT user_id, count(*) FROM orders WHERE status <> 'abandoned' GROUP BY user_id`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER orders_count_reset ON orders`);
    await queryRunner.query(`DROP TRIGGER orders_count_listed ON orders`);
    await queryRunner.query(`DROP FUNCTION order_counts_reset()`);
    await queryRunner.query(`DROP FUNCTION order_counts_track()`);
    await queryRunner.query(`DROP TABLE order_counts`);
  }
}
