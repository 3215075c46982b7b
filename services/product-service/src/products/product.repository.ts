import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { Brackets, EntityManager, In, Repository, SelectQueryBuilder } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { toMoneyString } from '../common/money';
import { givenFields, hydrateFirst } from '../database/rows';
import { ProductEntity } from './product.entity';
import { MAX_STOCK, ProductSort } from './product.rules';

export interface ProductFields {
  name: string;
  description: string | null;
  price: number;
  categoryId: string;
  stock: number;
  tags: string[];
  isActive: boolean;
}

export interface ProductSearch {
  categoryId?: string;
  search?: string;
  tags?: string[];
  minPrice?: number;
  maxPrice?: number;
  inStock?: boolean;
  includeInactive: boolean;
  sort: ProductSort;
  offset: number;
  limit: number;
}

const PRODUCT_BY_ID = `SELECT id, name, description, price, category_id, stock, tags, is_active, created_at, updated_at
  FROM products WHERE id = $1`;

/** Sort keys → columns. Name sorts ignore case (and use the lower(name) index). */
const SORT_EXPRESSIONS: Record<string, string> = {
  createdAt: 'p.createdAt',
  price: 'p.price',
  name: 'lower(p.name)',
  stock: 'p.stock',
};

/** Data access for products; database errors (foreign keys, checks) surface as they are. */
@Injectable()
export class ProductRepository {
  constructor(@InjectRepository(ProductEntity) private readonly products: Repository<ProductEntity>) {}

  findById(id: string, manager: EntityManager = this.products.manager): Promise<ProductEntity | null> {
    return manager.findOneBy(ProductEntity, { id });
  }

  /**
   * The hottest read (`GET /api/products/:id`) as one named prepared statement straight on the
   * pool: TypeORM's query building and result mapping cost more than the query itself.
   */
  async readById(id: string): Promise<ProductEntity | undefined> {
    const pool = (this.products.manager.connection.driver as PostgresDriver).master as Pool;
    const { rows } = await pool.query({ name: 'product-by-id', text: PRODUCT_BY_ID, values: [id] });
    return hydrateFirst(this.products.manager, ProductEntity, rows);
  }

  findByIds(ids: readonly string[]): Promise<ProductEntity[]> {
    return this.products.findBy({ id: In([...ids]) });
  }

  /** One page of the filtered list. */
  findPage(query: ProductSearch): Promise<ProductEntity[]> {
    const descending = query.sort.startsWith('-');
    const field = descending ? query.sort.slice(1) : query.sort;
    // The id breaks ties, so pages never overlap or skip rows that sort equal.
    return this.filtered(query)
      .orderBy(SORT_EXPRESSIONS[field], descending ? 'DESC' : 'ASC')
      .addOrderBy('p.id', descending ? 'DESC' : 'ASC')
      .offset(query.offset)
      .limit(query.limit)
      .getMany();
  }

  /** How many products match the list's filters in all. */
  count(query: ProductSearch): Promise<number> {
    return this.filtered(query).getCount();
  }

  private filtered(query: ProductSearch): SelectQueryBuilder<ProductEntity> {
    const qb = this.products.createQueryBuilder('p');
    if (!query.includeInactive) qb.andWhere('p.isActive = true');
    if (query.categoryId) qb.andWhere('p.categoryId = :categoryId', { categoryId: query.categoryId });
    if (query.search) {
      const pattern = containsPattern(query.search);
      qb.andWhere(
        new Brackets((text) =>
          text.where(`p.name ILIKE :pattern ESCAPE '\\'`, { pattern }).orWhere(`p.description ILIKE :pattern ESCAPE '\\'`, { pattern }),
        ),
      );
    }
    // Overlap (&&): any of the tags; answered by the GIN index on tags.
    if (query.tags?.length) qb.andWhere('p.tags && CAST(:tags AS text[])', { tags: query.tags });
    if (query.minPrice !== undefined) qb.andWhere('p.price >= :minPrice', { minPrice: toMoneyString(query.minPrice) });
    if (query.maxPrice !== undefined) qb.andWhere('p.price <= :maxPrice', { maxPrice: toMoneyString(query.maxPrice) });
    if (query.inStock !== undefined) qb.andWhere(query.inStock ? 'p.stock > 0' : 'p.stock = 0');
    return qb;
  }

  insert(fields: ProductFields): Promise<ProductEntity> {
    return this.products.save(this.products.create(fields));
  }

  /**
   * Applies the given fields in one statement; undefined when there is no such product. The stock
   * is left out: it moves only by the conditional deltas below and by reservations.
   */
  async update(id: string, changes: Partial<Omit<ProductFields, 'stock'>>): Promise<ProductEntity | undefined> {
    const set = givenFields(changes);
    if (Object.keys(set).length === 0) return (await this.findById(id)) ?? undefined;
    const { raw } = await this.products.createQueryBuilder().update().set(set).where('id = :id', { id }).returning('*').execute();
    return hydrateFirst(this.products.manager, ProductEntity, raw);
  }

  /** Deletes and returns the product; undefined when there was none. */
  async delete(id: string): Promise<ProductEntity | undefined> {
    const { raw } = await this.products.createQueryBuilder().delete().where('id = :id', { id }).returning('*').execute();
    return hydrateFirst(this.products.manager, ProductEntity, raw);
  }

  /**
   * Moves the stock by `delta` in one conditional statement, so concurrent changes can never
   * take it below zero (or past MAX_STOCK). Undefined when the product is unknown or the
   * change is refused.
   */
  async adjustStock(id: string, delta: number): Promise<ProductEntity | undefined> {
    const { raw } = await this.products
      .createQueryBuilder()
      .update()
      .set({ stock: () => 'stock + :delta' })
      .where('id = :id AND stock + :delta BETWEEN 0 AND :max', { id, delta, max: MAX_STOCK })
      .returning('*')
      .execute();
    return hydrateFirst(this.products.manager, ProductEntity, raw);
  }
}

/** An ILIKE pattern for "contains": `%`, `_` and `\` in the text match themselves. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
