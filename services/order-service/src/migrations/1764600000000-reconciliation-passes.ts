import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reconciliation covers only what was created or changed since its previous pass, so it
 * must remember where that pass settled — here, not in memory, so a restart or a second
 * replica carries on from there instead of from a day ago — and a pass must be one replica's
 * at a time: `lease_token`/`lease_until` claim it without holding a lock or a transaction
 * open across its calls to the Product service.
 *
 * Orders are now found by when they last changed (every status change sets updated_at), over
 * the statuses the pass judges; the index of live orders by age served the old full re-read only.
 */
export class ReconciliationPasses1764600000000 implements MigrationInterface {
  name = 'ReconciliationPasses1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE reconciliation_passes (
        name          varchar(50) PRIMARY KEY,
        settled_until timestamptz NOT NULL,
        lease_token   uuid,
        lease_until   timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_orders_judged_updated ON orders (updated_at, id) WHERE status IN ('confirmed', 'shipped', 'delivered', 'cancelled')`,
    );
    await queryRunner.query(`DROP INDEX ix_orders_live_created`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX ix_orders_live_created ON orders (created_at, id) WHERE status IN ('confirmed', 'shipped', 'delivered')`,
    );
    await queryRunner.query(`DROP INDEX ix_orders_judged_updated`);
    await queryRunner.query(`DROP TABLE reconciliation_passes`);
  }
}
