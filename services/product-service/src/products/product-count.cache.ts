/**
 * The number of products matching a list's filters, reused for a short while: counting every
 * match is half the work of a list page, and the number changes only with the catalogue
 * (products created, changed or removed), never with an ordinary read.
 */
export class ProductCountCache {
  private readonly entries = new Map<string, { count: number; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 1_000,
  ) {}

  async get(key: string, count: () => Promise<number>): Promise<number> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.until > now) return hit.count;
    const fresh = await count();
    if (this.ttlMs > 0) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, { count: fresh, until: now + this.ttlMs });
    }
    return fresh;
  }

  /** After a write: the next lists count afresh. */
  clear(): void {
    this.entries.clear();
  }
}
