import type { FaultStack } from '../harness/fault-stack';
import type { Basket, Line } from '../load/checkout-load';
import type { InvariantResult } from './invariants';

const key = (lines: readonly Line[]) =>
  [...lines]
    .sort((a, b) => a.productId.localeCompare(b.productId))
    .map((l) => `${l.productId}×${l.quantity}`)
    .join(',');

function result(name: string, checked: number, problems: string[], figures?: Record<string, number>): InvariantResult {
  return { name, held: problems.length === 0, checked, broken: problems.length, examples: problems.slice(0, 8), figures };
}

/**
 * Read once nothing is left in between: every order a checkout placed (any status but the
 * `abandoned` a given-up placement passes through) is matched to the cart it was placed from by
 * its customer and creation time (a customer's carts are checked out one after the other).
 */
export async function checkCheckouts(stack: FaultStack, baskets: readonly Basket[]): Promise<InvariantResult[]> {
  const customers = [...new Set(baskets.map((b) => b.customerId))];
  const since = new Date(Math.min(...baskets.map((b) => b.from), Date.now()) - 1000);
  const { rows: orders } = await stack.db.order.query<{ id: string; user_id: string; status: string; created_at: Date }>(
    `SELECT id, user_id, status, created_at FROM orders WHERE user_id = ANY($1::varchar[]) AND created_at >= $2 AND status <> 'abandoned'`,
    [customers, since],
  );
  const { rows: items } = await stack.db.order.query<{ order_id: string; product_id: string; quantity: number }>(
    `SELECT order_id, product_id, quantity FROM order_items WHERE order_id = ANY($1::uuid[])`,
    [orders.map((o) => o.id)],
  );
  const linesOf = new Map<string, Line[]>();
  for (const i of items)
    linesOf.set(i.order_id, [...(linesOf.get(i.order_id) ?? []), { productId: i.product_id, quantity: Number(i.quantity) }]);

  const twice: string[] = [];
  const wrongLines: string[] = [];
  const keptLines: string[] = [];
  const notAsItWas: string[] = [];
  let placed = 0;
  let placedDespiteError = 0;
  let committedBehindAnError = 0;
  const matched = new Set<string>();
  for (const b of baskets) {
    const mine = orders.filter(
      (o) => o.user_id === b.customerId && o.created_at.getTime() >= b.from - 50 && o.created_at.getTime() < b.until,
    );
    mine.forEach((o) => matched.add(o.id));
    if (mine.length > 1)
      twice.push(
        `a cart of ${b.customerId} (${b.keyed ? 'keyed' : 'no key'}) placed ${mine.map((o) => `${o.id} (${o.status})`).join(', ')}`,
      );
    const [order] = mine;
    if (order) {
      placed += 1;
      if (b.firstFailed) placedDespiteError += 1;
      if (b.retryFoundPlaced) committedBehindAnError += 1;
      if (key(linesOf.get(order.id) ?? []) !== key(b.lines))
        wrongLines.push(`order ${order.id}: ${key(linesOf.get(order.id) ?? [])}, cart ${key(b.lines)}`);
      if (b.leftover === null || b.leftover.length > 0)
        keptLines.push(`order ${order.id} placed, cart still ${b.leftover ? key(b.leftover) : 'unread'}`);
    } else if (b.leftover === null || key(b.leftover) !== key(b.lines)) {
      notAsItWas.push(`no order for ${key(b.lines)}, cart now ${b.leftover ? key(b.leftover) || 'empty' : 'unread'}`);
    }
  }
  const stray = orders.filter((o) => !matched.has(o.id));
  return [
    result(
      'a checkout places a cart once, retries included (no order outside its cart, none twice)',
      baskets.length,
      [...twice, ...stray.map((o) => `order ${o.id} (${o.status}) matches no checkout`)],
      // placedAfterAnErrorAnswer: carts whose first checkout was answered with an error and that
      // were placed (by a retry, or by that first attempt); committedBehindAnErrorAnswer: of those,
      // the ones whose error answer followed a placement that committed (its retry found it).
      { carts: baskets.length, placed, placedAfterAnErrorAnswer: placedDespiteError, committedBehindAnErrorAnswer: committedBehindAnError },
    ),
    result('an order placed by a checkout holds the lines its cart held', placed, wrongLines),
    result('no cart keeps the lines of an order placed from it', placed, keptLines),
    result('a checkout that placed nothing leaves the cart as it was', baskets.length - placed, notAsItWas),
  ];
}
