import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE orders (
        id               uuid PRIMARY KEY,
        user_id          varchar(64)   NOT NULL,
        status           varchar(20)   NOT NULL
                         CHECK (status IN ('pending', 'confirmed', 'shipped', 'delivered', 'cancelled')),
        total_amount     numeric(12,2) NOT NULL DEFAULT 0 CHECK (total_amount >= 0),
        shipping_address jsonb,
        idempotency_key  varchar(200),
        request_hash     char(64)      NOT NULL,
        created_at       timestamptz   NOT NULL DEFAULT now(),
        updated_at       timestamptz   NOT NULL DEFAULT now(),
        -- NULL keys never collide: only orders placed with an Idempotency-Key are unique per user.
        CONSTRAINT uq_orders_user_idempotency_key UNIQUE (user_id, idempotency_key)
      )`);
    await queryRunner.query(`CREATE INDEX ix_orders_user_created ON orders (user_id, created_at DESC, id DESC)`);

    await queryRunner.query(`
      CREATE TABLE order_items (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        order_id     uuid          NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
        product_id   uuid          NOT NULL,
        product_name varchar(255)  NOT NULL,
        unit_price   numeric(12,2) NOT NULL CHECK (unit_price >= 0),
        quantity     integer       NOT NULL CHECK (quantity > 0),
        line_total   numeric(12,2) NOT NULL CHECK (line_total >= 0),
        CONSTRAINT uq_order_items_order_product UNIQUE (order_id, product_id)
      )`);

    await queryRunner.query(`
      CREATE TABLE cart_items (
        user_id    varchar(64) NOT NULL,
        product_id uuid        NOT NULL,
        quantity   integer     NOT NULL CHECK (quantity > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, product_id)
      )`);

    await queryRunner.query(`
      CREATE TABLE outbox (
        id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dedupe_key      varchar(200) NOT NULL UNIQUE,
        payload         jsonb        NOT NULL,
        status          varchar(10)  NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
        attempts        integer      NOT NULL DEFAULT 0,
        next_attempt_at timestamptz  NOT NULL DEFAULT now(),
        last_error      text,
        created_at      timestamptz  NOT NULL DEFAULT now(),
        sent_at         timestamptz
      )`);
    // The relay's only question, "what is due?", stays an index scan however many rows were sent.
    await queryRunner.query(`CREATE INDEX ix_outbox_due ON outbox (next_attempt_at) WHERE status = 'pending'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE outbox`);
    await queryRunner.query(`DROP TABLE cart_items`);
    await queryRunner.query(`DROP TABLE order_items`);
    await queryRunner.query(`DROP TABLE orders`);
  }
}
