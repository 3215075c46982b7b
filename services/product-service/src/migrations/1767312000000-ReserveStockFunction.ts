import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `reserve_stock`: the whole reservation of an order in one statement, so that placing an order
 * costs the Product service one round trip and one commit. It claims the order id, takes every
 * line's stock with a conditional update (never below zero) locking the products in id order
 * (two reservations never deadlock), and records each line at the product's price of that
 * moment. Unknown or inactive products raise SQLSTATE SR002 (all of them listed in DETAIL as
 * JSON) before any stock is touched; a line short of stock raises SR001 (DETAIL: that line).
 * The statement is then rolled back as a whole, so nothing was taken. An order id that already
 * has a reservation returns one row with `r_created = false` and touches nothing: the service
 * decides whether it is a genuine repeat (reservations.service.ts).
 */
export class ReserveStockFunction1767312000000 implements MigrationInterface {
  name = 'ReserveStockFunction1767312000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION reserve_stock(p_order_id uuid, p_product_ids uuid[], p_quantities integer[], p_status varchar, p_ttl_ms bigint)
      RETURNS TABLE (r_created boolean, r_status varchar, r_expires_at timestamptz, r_created_at timestamptz, r_updated_at timestamptz,
                     r_product_id uuid, r_name varchar, r_quantity integer, r_unit_price numeric)
      LANGUAGE plpgsql AS $fn$
      DECLARE
        header reservations%ROWTYPE;
        line record;
        taken record;
        existing record;
        known boolean;
        unavailable json;
      BEGIN
        -- Unknown and inactive products are refused together, before any stock is touched.
        SELECT json_agg(json_build_object('productId', l.id, 'reason', CASE WHEN p.id IS NULL THEN 'not_found' ELSE 'inactive' END, 'name', p.name)
                        ORDER BY l.id)
          INTO unavailable
          FROM (SELECT DISTINCT id FROM unnest(p_product_ids) AS u(id)) l LEFT JOIN products p ON p.id = l.id
         WHERE p.id IS NULL OR NOT p.is_active;
        IF unavailable IS NOT NULL THEN
          RAISE EXCEPTION 'products unavailable' USING ERRCODE = 'SR002', DETAIL = unavailable::text;
        END IF;
        INSERT INTO reservations (order_id, status, expires_at)
        VALUES (p_order_id, p_status, now() + p_ttl_ms * interval '1 millisecond')
        ON CONFLICT (order_id) DO NOTHING
        RETURNING * INTO header;
        IF NOT FOUND THEN
          RETURN QUERY SELECT false, NULL::varchar, NULL::timestamptz, NULL::timestamptz, NULL::timestamptz,
                              NULL::uuid, NULL::varchar, NULL::integer, NULL::numeric;
          RETURN;
        END IF;
        FOR line IN
          SELECT l.product_id, sum(l.quantity)::integer AS quantity
            FROM unnest(p_product_ids, p_quantities) AS l(product_id, quantity)
           GROUP BY l.product_id
           ORDER BY l.product_id
        LOOP
          UPDATE products p
             SET stock = p.stock - line.quantity, updated_at = now()
           WHERE p.id = line.product_id AND p.is_active AND p.stock >= line.quantity
          RETURNING p.name, p.price INTO taken;
          IF NOT FOUND THEN
            SELECT p.name, p.stock, p.is_active INTO existing FROM products p WHERE p.id = line.product_id;
            known := FOUND;
            RAISE EXCEPTION 'reservation refused' USING ERRCODE = 'SR001', DETAIL = json_build_object(
              'productId', line.product_id,
              'requested', line.quantity,
              'reason', CASE WHEN NOT known THEN 'not_found' WHEN NOT existing.is_active THEN 'inactive' ELSE 'insufficient' END,
              'name', CASE WHEN known THEN existing.name END,
              'available', CASE WHEN known THEN existing.stock END)::text;
          END IF;
          INSERT INTO reservation_items (order_id, product_id, name, quantity, unit_price)
          VALUES (p_order_id, line.product_id, taken.name, line.quantity, taken.price);
          r_created := true; r_status := header.status; r_expires_at := header.expires_at;
          r_created_at := header.created_at; r_updated_at := header.updated_at;
          r_product_id := line.product_id; r_name := taken.name; r_quantity := line.quantity; r_unit_price := taken.price;
          RETURN NEXT;
        END LOOP;
      END
      $fn$`);
    // The reconciliation's question, "which reservations still hold stock, oldest first?".
    await queryRunner.query(
      `CREATE INDEX reservations_held_created_idx ON reservations (created_at, order_id) WHERE status IN ('reserved', 'confirmed')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX reservations_held_created_idx`);
    await queryRunner.query(`DROP FUNCTION reserve_stock(uuid, uuid[], integer[], varchar, bigint)`);
  }
}
