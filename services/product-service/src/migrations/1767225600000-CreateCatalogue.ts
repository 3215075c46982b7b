import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The catalogue and its stock reservations. The constraints are the last line of defence behind
 * the services' rules: stock never below zero, prices positive, a category with products and a
 * product with reservation history cannot vanish under them.
 */
export class CreateCatalogue1767225600000 implements MigrationInterface {
  name = 'CreateCatalogue1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE categories (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name        varchar(100) NOT NULL,
        description text,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    // "Electronics" and "electronics" are the same category.
    await queryRunner.query(`CREATE UNIQUE INDEX categories_name_key ON categories (lower(name))`);

    await queryRunner.query(`
      CREATE TABLE products (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name        varchar(200) NOT NULL,
        description text,
        price       numeric(12,2) NOT NULL CONSTRAINT products_price_positive CHECK (price > 0),
        category_id uuid NOT NULL CONSTRAINT products_category_id_fkey REFERENCES categories (id) ON DELETE RESTRICT,
        stock       integer NOT NULL DEFAULT 0 CONSTRAINT products_stock_non_negative CHECK (stock >= 0),
        tags        text[] NOT NULL DEFAULT '{}',
        is_active   boolean NOT NULL DEFAULT true,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    // One per filter and sort of the product list; tags are matched with the array overlap operator.
    await queryRunner.query(`CREATE INDEX products_category_id_idx ON products (category_id)`);
    await queryRunner.query(`CREATE INDEX products_price_idx ON products (price)`);
    await queryRunner.query(`CREATE INDEX products_created_at_idx ON products (created_at)`);
    await queryRunner.query(`CREATE INDEX products_name_idx ON products (lower(name))`);
    await queryRunner.query(`CREATE INDEX products_tags_idx ON products USING gin (tags)`);

    await queryRunner.query(`
      CREATE TABLE reservations (
        order_id   uuid PRIMARY KEY,
        status     varchar(16) NOT NULL
                   CONSTRAINT reservations_status_check CHECK (status IN ('reserved', 'confirmed', 'released', 'expired')),
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The sweeper's question: which held reservations are past their time?
    await queryRunner.query(`CREATE INDEX reservations_due_idx ON reservations (expires_at) WHERE status = 'reserved'`);

    await queryRunner.query(`
      CREATE TABLE reservation_items (
        order_id   uuid NOT NULL CONSTRAINT reservation_items_order_id_fkey REFERENCES reservations (order_id) ON DELETE CASCADE,
        product_id uuid NOT NULL CONSTRAINT reservation_items_product_id_fkey REFERENCES products (id) ON DELETE RESTRICT,
        name       varchar(200) NOT NULL,
        quantity   integer NOT NULL CONSTRAINT reservation_items_quantity_positive CHECK (quantity > 0),
        unit_price numeric(12,2) NOT NULL,
        PRIMARY KEY (order_id, product_id)
      )`);
    await queryRunner.query(`CREATE INDEX reservation_items_product_id_idx ON reservation_items (product_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE reservation_items`);
    await queryRunner.query(`DROP TABLE reservations`);
    await queryRunner.query(`DROP TABLE products`);
    await queryRunner.query(`DROP TABLE categories`);
  }
}
