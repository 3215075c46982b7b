import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `reserve_stock` claims the order id before it checks the products. A repeat is how a caller
 * recovers an answer it lost (a timeout after the commit), so it must get the reservation that
 * was made, not a refusal because a product was deactivated since: the caller reads a 4xx as
 * "nothing is held" and would give the order up while its stock stayed taken. The claim rolls
 * back with the rest of the statement when a product is refused, so a first attempt still
 * takes nothing.
 */
export class ReserveRepeatFirst1767398400000 implements MigrationInterface {
  name = 'ReserveRepeatFirst1767398400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(reserveStockFunction('claim-first'));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(reserveStockFunction('check-first'));
  }
}

/** The function with its two opening steps in either order; the rest is 1767312000000's. */
function reserveStockFunction(order: 'claim-first' | 'check-first'): string {
  const check = `
        -- Unknown and inactive products are refused together, before any stock is touched.
        SELECT json_agg(json_build_object('productId', l.id, 'reason', CASE WHEN p.id IS NULL THEN 'not_found' ELSE 'inactive' END, 'name', p.name)
                        ORDER BY l.id)
          INTO unavailable
          FROM (SELECT DISTINCT id FROM unnest(p_product_ids) AS u(id)) l LEFT JOIN products p ON p.id = l.id
         WHERE p.id IS NULL OR NOT p.is_active;
        IF unavailable IS NOT NULL THEN
          RAISE EXCEPTION 'products unavailable' USING ERRCODE = 'SR002', DETAIL = unavailable::text;
        END IF;`;
  const claim = `
        -- An order id already reserved touches nothing: the service compares the lines.
        INSERT INTO reservations (order_id, status, expires_at)
        VALUES (p_order_id, p_status, now() + p_ttl_ms * interval '1 millisecond')
        ON CONFLICT (order_id) DO NOTHING
        RETURNING * INTO header;
        IF NOT FOUND THEN
          RETURN QUERY SELECT false, NULL::varchar, NULL::timestamptz, NULL::timestamptz, NULL::timestamptz,
                              NULL::uuid, NULL::varchar, NULL::integer, NULL::numeric;
          RETURN;
        END IF;`;
  return `
      CREATE OR REPLACE FUNCTION reserve_stock(p_order_id uuid, p_product_ids uuid[], p_quantities integer[], p_status varchar, p_ttl_ms bigint)
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
        ${order === 'claim-first' ? claim + check : check + claim}
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
      $fn$`;
}
