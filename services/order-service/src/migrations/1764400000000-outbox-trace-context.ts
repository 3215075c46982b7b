import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The trace context of the change that wrote an outbox row (W3C `traceparent`/`tracestate`),
 * so that its delivery, whenever it happens, shows in the same trace. Null when tracing was off.
 */
export class OutboxTraceContext1764400000000 implements MigrationInterface {
  name = 'OutboxTraceContext1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox ADD COLUMN trace_context jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox DROP COLUMN trace_context`);
  }
}
