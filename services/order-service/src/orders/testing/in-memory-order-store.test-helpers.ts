import type { NewOutboxMessage } from '../../outbox/outbox-message';
import type { OrderItemEntity } from '../order-item.entity';
import type { OrderEntity } from '../order.entity';
import type {
  ChangeCursor,
  Clock,
  ListPage,
  ListPageRequest,
  OrderClaim,
  OrderRecords,
  OrderRepositories,
  OrderStore,
  OutboxWriter,
  PassClaim,
} from '../order.ports';
import type { StoredOrderStatus } from '../order-status.rules';

const LISTED: ReadonlySet<StoredOrderStatus> = new Set(['confirmed', 'shipped', 'delivered', 'cancelled']);

/** What the in-memory store holds; a transaction copies it and puts the copy back if the work throws. */
interface State {
  orders: Map<string, OrderEntity>;
  outbox: Array<NewOutboxMessage & { sent: boolean }>;
  checkedOut: Array<{ userId: string; productId: string; quantity: number }>;
  passes: Map<string, { settledUntil: Date; token: string | null }>;
}

const copyOrder = (o: OrderEntity): OrderEntity => ({ ...o, items: o.items?.map((i) => ({ ...i })) }) as OrderEntity;

/**
 * The orders table, the outbox and a transaction, in memory, as the use cases see them through
 * OrderStore. Only what the ports promise is kept (order.repository.spec.ts checks the real one
 * against PostgreSQL). `failNext` makes one call of a method throw, as a database would.
 */
export class InMemoryOrderStore implements OrderStore {
  private state: State = { orders: new Map(), outbox: [], checkedOut: [], passes: new Map() };
  private readonly failures = new Map<string, unknown>();
  readonly orders: OrderRecords;
  readonly outbox: OutboxWriter;

  constructor(private readonly clock: Clock) {
    this.orders = new InMemoryOrders(
      () => this.state,
      clock,
      (name) => this.fail(name),
    );
    this.outbox = new InMemoryOutbox(() => this.state);
  }

  async transaction<T>(work: (repos: OrderRepositories) => Promise<T>): Promise<T> {
    this.fail('transaction');
    const before = this.state;
    this.state = {
      orders: new Map([...before.orders].map(([id, o]) => [id, copyOrder(o)])),
      outbox: before.outbox.map((m) => ({ ...m })),
      checkedOut: [...before.checkedOut],
      passes: new Map([...before.passes].map(([k, v]) => [k, { ...v }])),
    };
    try {
      return await work(this);
    } catch (err) {
      this.state = before;
      throw err;
    }
  }

  /** The next call of `method` (an OrderRecords method, or `transaction`) throws `err`. */
  failNext(method: keyof OrderRecords | 'transaction', err: unknown): void {
    this.failures.set(method, err);
  }

  // What a test reads back.

  order(id: string): OrderEntity | undefined {
    return this.state.orders.get(id);
  }

  allOrders(): OrderEntity[] {
    return [...this.state.orders.values()];
  }

  /** An order as another request or an operator left it. */
  put(order: Partial<OrderEntity> & Pick<OrderEntity, 'id' | 'userId' | 'status'>): void {
    const at = new Date(this.clock.now());
    this.state.orders.set(order.id, {
      totalAmount: '0.00',
      shippingAddress: null,
      idempotencyKey: null,
      requestHash: 'x'.repeat(64),
      createdAt: at,
      updatedAt: at,
      items: [],
      ...order,
    } as OrderEntity);
  }

  messages(topic?: NewOutboxMessage['topic']): Array<NewOutboxMessage & { sent: boolean }> {
    return this.state.outbox.filter((m) => topic === undefined || m.topic === topic);
  }

  checkedOut(): State['checkedOut'] {
    return this.state.checkedOut;
  }

  private fail(method: string): void {
    const err = this.failures.get(method);
    if (err === undefined) return;
    this.failures.delete(method);
    throw err;
  }
}

class InMemoryOrders implements OrderRecords {
  constructor(
    private readonly state: () => State,
    private readonly clock: Clock,
    private readonly fail: (method: keyof OrderRecords) => void,
  ) {}

  private get rows(): Map<string, OrderEntity> {
    return this.state().orders;
  }

  async claim(claim: OrderClaim): Promise<boolean> {
    this.fail('claim');
    if (
      claim.idempotencyKey !== null &&
      [...this.rows.values()].some((o) => o.userId === claim.userId && o.idempotencyKey === claim.idempotencyKey)
    ) {
      return false;
    }
    const at = new Date(this.clock.now());
    this.rows.set(claim.id, { ...claim, status: 'pending', totalAmount: '0.00', createdAt: at, updatedAt: at, items: [] } as OrderEntity);
    return true;
  }

  confirmWithItems: OrderRecords['confirmWithItems'] = async (orderId, items, totalAmount, announcement, cartLines = []) => {
    this.fail('confirmWithItems');
    const order = this.rows.get(orderId);
    // A line is checked out once: a second checkout of the same lines finds the cart changed.
    const taken = (l: { productId: string; quantity: number }) =>
      this.state().checkedOut.some((c) => c.userId === order?.userId && c.productId === l.productId && c.quantity === l.quantity);
    if (order && cartLines.some(taken)) return 'cart-changed';
    if (!order || order.status !== 'pending') return null;
    Object.assign(order, {
      status: 'confirmed',
      totalAmount,
      updatedAt: new Date(this.clock.now()),
      items: items.map((i) => ({ ...i, orderId }) as OrderItemEntity),
    });
    const outbox = this.state().outbox;
    if (!outbox.some((m) => m.dedupeKey === announcement.dedupeKey)) outbox.push({ ...announcement, sent: false });
    this.state().checkedOut.push(...cartLines.map((l) => ({ userId: order.userId, ...l })));
    return { createdAt: order.createdAt, updatedAt: order.updatedAt };
  };

  async findByIdempotencyKey(userId: string, idempotencyKey: string): Promise<OrderEntity | null> {
    this.fail('findByIdempotencyKey');
    const found = [...this.rows.values()].find((o) => o.userId === userId && o.idempotencyKey === idempotencyKey);
    return found ? ({ ...copyOrder(found), items: undefined } as unknown as OrderEntity) : null;
  }

  async findById(id: string): Promise<OrderEntity | null> {
    this.fail('findById');
    const found = this.rows.get(id);
    return found ? copyOrder(found) : null;
  }

  async lockById(id: string): Promise<OrderEntity | null> {
    this.fail('lockById');
    const found = this.rows.get(id);
    return found ? ({ ...copyOrder(found), items: undefined } as unknown as OrderEntity) : null;
  }

  async setStatus(id: string, from: StoredOrderStatus, to: StoredOrderStatus): Promise<boolean> {
    this.fail('setStatus');
    const order = this.rows.get(id);
    if (!order || order.status !== from) return false;
    Object.assign(order, { status: to, updatedAt: new Date(this.clock.now()) });
    return true;
  }

  async abandonStale(olderThanMs: number, limit: number): Promise<string[]> {
    this.fail('abandonStale');
    const stale = [...this.rows.values()]
      .filter((o) => o.status === 'pending' && o.createdAt.getTime() < this.clock.now() - olderThanMs)
      .slice(0, limit);
    for (const o of stale) Object.assign(o, { status: 'abandoned', updatedAt: new Date(this.clock.now()) });
    return stale.map((o) => o.id);
  }

  async deletePending(id: string): Promise<boolean> {
    this.fail('deletePending');
    return this.deleteIn(id, 'pending');
  }

  async deleteAbandoned(id: string): Promise<boolean> {
    this.fail('deleteAbandoned');
    return this.deleteIn(id, 'abandoned');
  }

  async statusesOf(ids: readonly string[]): Promise<Map<string, StoredOrderStatus>> {
    this.fail('statusesOf');
    return new Map(ids.flatMap((id) => (this.rows.has(id) ? [[id, this.rows.get(id)!.status] as const] : [])));
  }

  async listChanged(from: Date, to: Date, limit: number, after?: ChangeCursor): Promise<{ orders: OrderEntity[]; next?: ChangeCursor }> {
    this.fail('listChanged');
    const key = (o: OrderEntity) => `${o.updatedAt.toISOString()}|${o.id}`;
    const changed = [...this.rows.values()]
      .filter((o) => LISTED.has(o.status) && o.updatedAt >= from && o.updatedAt < to)
      .filter((o) => !after || key(o) > `${after.updatedAt}|${after.id}`)
      .sort((a, b) => (key(a) < key(b) ? -1 : 1))
      .slice(0, limit)
      .map(copyOrder);
    const last = changed.at(-1);
    return { orders: changed, next: last && { updatedAt: last.updatedAt.toISOString(), id: last.id } };
  }

  async claimPass(name: string, start: Date): Promise<PassClaim | null> {
    this.fail('claimPass');
    const passes = this.state().passes;
    const pass = passes.get(name) ?? { settledUntil: start, token: null };
    if (pass.token !== null) return null;
    pass.token = `token-${this.clock.now()}`;
    passes.set(name, pass);
    return { token: pass.token, settledUntil: pass.settledUntil };
  }

  async endPass(name: string, claim: PassClaim, settledUntil: Date | null): Promise<boolean> {
    this.fail('endPass');
    const pass = this.state().passes.get(name);
    if (!pass || pass.token !== claim.token) return false;
    if (settledUntil && settledUntil > pass.settledUntil) pass.settledUntil = settledUntil;
    pass.token = null;
    return true;
  }

  async listByUser(userId: string, page: ListPageRequest): Promise<ListPage> {
    this.fail('listByUser');
    const mine = [...this.rows.values()]
      .filter((o) => o.userId === userId && o.status !== 'abandoned')
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
    const start = page.offset ?? 0;
    return { orders: mine.slice(start, start + page.limit).map(copyOrder), total: mine.length };
  }

  private deleteIn(id: string, status: StoredOrderStatus): boolean {
    if (this.rows.get(id)?.status !== status) return false;
    this.rows.delete(id);
    return true;
  }
}

class InMemoryOutbox implements OutboxWriter {
  constructor(private readonly state: () => State) {}

  async enqueue(message: NewOutboxMessage): Promise<void> {
    const outbox = this.state().outbox;
    if (!outbox.some((m) => m.dedupeKey === message.dedupeKey)) outbox.push({ ...message, sent: false });
  }

  async markSentByDedupeKey(dedupeKey: string): Promise<void> {
    for (const m of this.state().outbox) if (m.dedupeKey === dedupeKey) m.sent = true;
  }
}
