import type { FaultStack } from '../harness/fault-stack';

/** Orders that are sold for good; any other status (pending, cancelled, an internal one) is not live. */
export const LIVE_STATUSES = ['confirmed', 'shipped', 'delivered'];
const HELD_RESERVATIONS = ['reserved', 'confirmed'];

export interface InvariantResult {
  name: string;
  held: boolean;
  /** How many things (products, orders, reservations) were checked. */
  checked: number;
  /** How many broke it, and a few of them described. */
  broken: number;
  examples: string[];
  /** Figures worth reporting beside the verdict (units lost, oversold...). */
  figures?: Record<string, number>;
}

function result(name: string, checked: number, problems: string[], figures?: Record<string, number>): InvariantResult {
  return { name, held: problems.length === 0, checked, broken: problems.length, examples: problems.slice(0, 8), figures };
}

type Lines = Map<string, number>;
const linesKey = (lines: Lines) =>
  [...lines.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([p, q]) => `${p}×${q}`)
    .join(',');

function groupLines(rows: Array<{ order_id: string; product_id: string; quantity: number }>): Map<string, Lines> {
  const out = new Map<string, Lines>();
  for (const r of rows) {
    const lines = out.get(r.order_id) ?? new Map<string, number>();
    lines.set(r.product_id, (lines.get(r.product_id) ?? 0) + Number(r.quantity));
    out.set(r.order_id, lines);
  }
  return out;
}

/**
 * The invariants of order placement, read straight from the three databases (and the SMTP
 * inbox), for what one fault touched: `initialStock` holds its products with the stock they were
 * created with; orders, reservations and notifications are those created at or after `since`
 * (so that a fault is not charged with what an earlier one broke).
 */
export async function checkInvariants(
  stack: FaultStack,
  initialStock: ReadonlyMap<string, number>,
  since: Date,
): Promise<InvariantResult[]> {
  const product = stack.db.product;
  const order = stack.db.order;

  const products = (
    await product.query<{ id: string; stock: number }>(`SELECT id, stock FROM products WHERE id = ANY($1)`, [[...initialStock.keys()]])
  ).rows;
  const reservations = (
    await product.query<{ order_id: string; status: string }>(`SELECT order_id, status FROM reservations WHERE created_at >= $1`, [since])
  ).rows;
  const reservationItems = (
    await product.query<{ order_id: string; product_id: string; quantity: number; status: string; recent: boolean }>(
      `SELECT ri.order_id, ri.product_id, ri.quantity, r.status, r.created_at >= $2 AS recent
         FROM reservation_items ri JOIN reservations r USING (order_id) WHERE ri.product_id = ANY($1)`,
      [[...initialStock.keys()], since],
    )
  ).rows;
  const orders = (await order.query<{ id: string; status: string }>(`SELECT id, status FROM orders WHERE created_at >= $1`, [since])).rows;
  const orderItems = (
    await order.query<{ order_id: string; product_id: string; quantity: number }>(
      `SELECT i.order_id, i.product_id, i.quantity FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.created_at >= $1`,
      [since],
    )
  ).rows;
  const notifications = await stack.db.notifications
    .find({ dedupeKey: { $regex: '^order-confirmed:' }, createdAt: { $gte: since } }, { projection: { dedupeKey: 1, status: 1 } })
    .toArray();

  const results: InvariantResult[] = [];

  // 1. Stock is conserved: what a product was created with = what is left + what live reservations hold.
  const held = new Map<string, number>();
  for (const ri of reservationItems) {
    if (HELD_RESERVATIONS.includes(ri.status)) held.set(ri.product_id, (held.get(ri.product_id) ?? 0) + Number(ri.quantity));
  }
  let lost = 0;
  let oversold = 0;
  const stockProblems: string[] = [];
  for (const p of products) {
    const initial = initialStock.get(p.id) ?? 0;
    const accounted = Number(p.stock) + (held.get(p.id) ?? 0);
    if (accounted !== initial) {
      if (accounted < initial) lost += initial - accounted;
      else oversold += accounted - initial;
      stockProblems.push(`product ${p.id}: created with ${initial}, now ${p.stock} in stock + ${held.get(p.id) ?? 0} held`);
    }
  }
  results.push(
    result('stock conserved (initial = stock + units in live reservations)', products.length, stockProblems, {
      unitsLost: lost,
      unitsOversold: oversold,
    }),
  );

  // 2. Every confirmed reservation belongs to a live order.
  const orderStatus = new Map(orders.map((o) => [o.id, o.status]));
  const confirmed = reservations.filter((r) => r.status === 'confirmed');
  const orphanProblems = confirmed
    .filter((r) => !LIVE_STATUSES.includes(orderStatus.get(r.order_id) ?? ''))
    .map((r) => `reservation ${r.order_id} confirmed, order ${orderStatus.get(r.order_id) ?? 'missing'}`);
  const orphanUnits = reservationItems
    .filter((ri) => ri.recent && ri.status === 'confirmed' && !LIVE_STATUSES.includes(orderStatus.get(ri.order_id) ?? ''))
    .reduce((n, ri) => n + Number(ri.quantity), 0);
  results.push(
    result('every confirmed reservation has a live order', confirmed.length, orphanProblems, { unitsHeldForNoOrder: orphanUnits }),
  );

  // 3. Every live order has a confirmed reservation with the same lines.
  const live = orders.filter((o) => LIVE_STATUSES.includes(o.status));
  // A live order's reservation, found by its id whenever it was made.
  const ofLive = (
    await product.query<{ order_id: string; status: string }>(`SELECT order_id, status FROM reservations WHERE order_id = ANY($1)`, [
      live.map((o) => o.id),
    ])
  ).rows;
  const reservationStatus = new Map(ofLive.map((r) => [r.order_id, r.status]));
  const reservedLines = groupLines(reservationItems);
  const orderedLines = groupLines(orderItems);
  const mismatch: string[] = [];
  for (const o of live) {
    const status = reservationStatus.get(o.id);
    const want = linesKey(orderedLines.get(o.id) ?? new Map());
    const got = linesKey(reservedLines.get(o.id) ?? new Map());
    if (status !== 'confirmed') mismatch.push(`order ${o.id} ${o.status}, reservation ${status ?? 'missing'}`);
    else if (want !== got) mismatch.push(`order ${o.id}: ordered ${want}, reserved ${got}`);
  }
  results.push(result('every live order has a confirmed reservation with the same lines', live.length, mismatch));

  // 4. No live order without items.
  const empty = live.filter((o) => !orderedLines.has(o.id)).map((o) => `order ${o.id} ${o.status} has no items`);
  results.push(result('no live order without items', live.length, empty));

  // 5. Every live order was notified exactly once, and the notification is sent; no one was told
  // of a confirmation for an order that was never confirmed.
  const docs = new Map<string, Array<{ status: string }>>();
  for (const n of notifications) {
    const id = String(n.dedupeKey).slice('order-confirmed:'.length);
    docs.set(id, [...(docs.get(id) ?? []), { status: String(n.status) }]);
  }
  const emails = new Map<string, number>();
  for (const m of stack.inbox.messages) {
    const id = /#([0-9a-f-]{36}) has been confirmed/.exec(m.text ?? '')?.[1];
    if (id) emails.set(id, (emails.get(id) ?? 0) + 1);
  }
  const notifyProblems: string[] = [];
  for (const o of live) {
    const d = docs.get(o.id) ?? [];
    const sent = emails.get(o.id) ?? 0;
    if (d.length !== 1 || d[0]?.status !== 'sent' || sent !== 1) {
      notifyProblems.push(`order ${o.id}: ${d.length} notification(s) [${d.map((x) => x.status).join(',')}], ${sent} email(s)`);
    }
  }
  results.push(
    result(
      'every live order has exactly one notification, sent (one email)',
      live.length,
      await explainNotifications(stack, notifyProblems),
    ),
  );

  // A notification of this fault's window may belong to an earlier order (an outbox backlog
  // delivered late): those orders are looked up by id, whenever they were created.
  const earlier = [...docs.keys()].filter((id) => !orderStatus.has(id));
  const earlierOrders =
    earlier.length === 0
      ? []
      : (await order.query<{ id: string; status: string }>(`SELECT id, status FROM orders WHERE id = ANY($1)`, [earlier])).rows;
  const statusOf = new Map([...orderStatus, ...earlierOrders.map((o): [string, string] => [o.id, o.status])]);
  const wasConfirmed = (status: string | undefined) => status !== undefined && (LIVE_STATUSES.includes(status) || status === 'cancelled');
  const phantom = [...docs.keys()]
    .filter((id) => !wasConfirmed(statusOf.get(id)))
    .map((id) => `order ${id} (${statusOf.get(id) ?? 'missing'}) was announced as confirmed`);
  results.push(result('no confirmation sent for an order that is not confirmed', docs.size, phantom));

  return results;
}

/**
 * Each of the first few notification problems with what both ends hold for its key, whenever it
 * was written: the Order service's outbox row and the notifications. A failed run then says at
 * once which side lost or repeated it.
 */
async function explainNotifications(stack: FaultStack, problems: string[]): Promise<string[]> {
  const explained = await Promise.all(
    problems.slice(0, 8).map(async (problem) => {
      const orderId = /order ([0-9a-f-]{36})/.exec(problem)?.[1];
      if (!orderId) return problem;
      const dedupeKey = `order-confirmed:${orderId}`;
      const outbox = (
        await stack.db.order.query<{ status: string; attempts: number; last_error: string | null; sent_at: Date | null }>(
          `SELECT status, attempts, last_error, sent_at FROM outbox WHERE dedupe_key = $1`,
          [dedupeKey],
        )
      ).rows;
      const docs = await stack.db.notifications.find({ dedupeKey }, { projection: { status: 1, attempts: 1, createdAt: 1 } }).toArray();
      const outboxText = outbox
        .map(
          (r) =>
            `${r.status} after ${r.attempts} attempt(s)${r.sent_at ? ` at ${r.sent_at.toISOString()}` : ''}${r.last_error ? ` (${r.last_error})` : ''}`,
        )
        .join('; ');
      const docText = docs
        .map((d) => `${String(d.status)} ×${Number(d.attempts)} created ${new Date(d.createdAt as Date).toISOString()}`)
        .join('; ');
      return `${problem}; outbox: ${outboxText || 'none'}; stored: ${docText || 'none'}`;
    }),
  );
  return [...explained, ...problems.slice(8)];
}
