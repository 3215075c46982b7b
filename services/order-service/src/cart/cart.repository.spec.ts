import { randomUUID } from 'node:crypto';
import { createTestDatabase, TestDatabase } from '../database.test-helpers';
import { waitFor } from '@shop/test-kit';

describe('CartRepository (PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());

  const quantities = async (userId: string) => Object.fromEntries((await db.store.cart.list(userId)).map((i) => [i.productId, i.quantity]));

  it('adds to the quantity already in the cart, capped per line', async () => {
    const userId = `user-${randomUUID()}`;
    const [a, b] = [randomUUID(), randomUUID()];
    await db.store.cart.add(userId, a, 2, 100);
    await db.store.cart.add(userId, a, 3, 100);
    await db.store.cart.add(userId, b, 150, 100);
    await db.store.cart.add(userId, b, 1, 100);
    expect(await quantities(userId)).toEqual({ [a]: 5, [b]: 100 });
    expect(await db.store.cart.countLines(userId)).toBe(2);
    expect(await db.store.cart.contains(userId, a)).toBe(true);
    expect(await db.store.cart.contains(`user-${randomUUID()}`, a)).toBe(false);
  });

  it('loses no units when the same line is added to concurrently', async () => {
    const userId = `user-${randomUUID()}`;
    const product = randomUUID();
    await Promise.all(Array.from({ length: 10 }, () => db.store.cart.add(userId, product, 3, 100)));
    expect(await quantities(userId)).toEqual({ [product]: 30 });
  });

  it('changes and removes only lines that exist', async () => {
    const userId = `user-${randomUUID()}`;
    const product = randomUUID();
    expect(await db.store.cart.setQuantity(userId, product, 4)).toBe(false);
    expect(await db.store.cart.remove(userId, product)).toBe(false);
    await db.store.cart.add(userId, product, 1, 100);
    expect(await db.store.cart.setQuantity(userId, product, 4)).toBe(true);
    expect(await quantities(userId)).toEqual({ [product]: 4 });
    expect(await db.store.cart.remove(userId, product)).toBe(true);
    expect(await db.store.cart.list(userId)).toEqual([]);
  });

  it('clears a cart, and only that one', async () => {
    const userId = `user-${randomUUID()}`;
    const other = `user-${randomUUID()}`;
    const product = randomUUID();
    await db.store.cart.add(userId, product, 1, 100);
    await db.store.cart.add(other, product, 1, 100);
    await db.store.cart.clear(userId);
    expect(await db.store.cart.list(userId)).toEqual([]);
    expect(await quantities(other)).toEqual({ [product]: 1 });
  });

  it('serializes changes to one cart with its lock', async () => {
    const userId = `user-${randomUUID()}`;
    const order: string[] = [];
    let releaseFirst!: () => void;
    const firstHasLock = new Promise<void>((resolve) => {
      const first = db.store.transaction(async ({ cart }) => {
        await cart.lock(userId);
        order.push('first locked');
        resolve();
        await new Promise<void>((r) => (releaseFirst = r));
        order.push('first done');
      });
      void first;
    });
    await firstHasLock;
    const second = db.store.transaction(async ({ cart }) => {
      await cart.lock(userId);
      order.push('second locked');
    });
    // Release only once the second transaction is waiting for the lock in PostgreSQL.
    await waitFor(
      async () => {
        const rows: Array<{ waiting: number }> = await db.dataSource.query(
          "SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        );
        return rows[0].waiting > 0;
      },
      { what: 'the second transaction to wait for the lock' },
    );
    releaseFirst();
    await second;
    expect(order).toEqual(['first locked', 'first done', 'second locked']);
  });
});
