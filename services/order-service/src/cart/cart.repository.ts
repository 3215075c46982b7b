import { EntityManager } from 'typeorm';
import { CartItemEntity } from './cart-item.entity';

/** Data access for carts: one row per (user, product). */
export class CartRepository {
  constructor(private readonly manager: EntityManager) {}

  list(userId: string): Promise<CartItemEntity[]> {
    return this.manager.find(CartItemEntity, { where: { userId }, order: { createdAt: 'ASC', productId: 'ASC' } });
  }

  /**
   * Serializes changes to one user's cart until the transaction ends (a transaction-scoped
   * advisory lock: no row to lock exists yet when the first item is added).
   */
  async lock(userId: string): Promise<void> {
    await this.manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('cart:' || $1, 0))`, [userId]);
  }

  async countLines(userId: string): Promise<number> {
    return this.manager.count(CartItemEntity, { where: { userId } });
  }

  async contains(userId: string, productId: string): Promise<boolean> {
    return this.manager.exists(CartItemEntity, { where: { userId, productId } });
  }

  /** Adds to the quantity already in the cart (or puts the line in), never above `maxQuantity`. */
  async add(userId: string, productId: string, quantity: number, maxQuantity: number): Promise<void> {
    await this.manager.query(
      `INSERT INTO cart_items (user_id, product_id, quantity) VALUES ($1, $2, LEAST($3::int, $4::int))
       ON CONFLICT (user_id, product_id)
       DO UPDATE SET quantity = LEAST(cart_items.quantity + EXCLUDED.quantity, $4::int), updated_at = now()`,
      [userId, productId, quantity, maxQuantity],
    );
  }

  /** False when the product is not in the cart. */
  async setQuantity(userId: string, productId: string, quantity: number): Promise<boolean> {
    const result = await this.manager.update(CartItemEntity, { userId, productId }, { quantity });
    return result.affected === 1;
  }

  /** False when the product is not in the cart. */
  async remove(userId: string, productId: string): Promise<boolean> {
    const result = await this.manager.delete(CartItemEntity, { userId, productId });
    return result.affected === 1;
  }

  async clear(userId: string): Promise<void> {
    await this.manager.delete(CartItemEntity, { userId });
  }
}
