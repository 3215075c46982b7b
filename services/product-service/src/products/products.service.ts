import { Inject, Injectable } from '@nestjs/common';
import { ConflictError, isForeignKeyViolation, UnprocessableError } from '@shop/errors';
import { Page, pageOffset, toPage } from '@shop/contracts';
import { APP_CONFIG } from '@shop/nest-kit';
import { ProductServiceConfig } from '../config';
import { CreateProductDto } from './dto/create-product.dto';
import { ListProductsQuery } from './dto/list-products.query';
import { UpdateProductDto } from './dto/update-product.dto';
import { ProductEntity } from './product.entity';
import { insufficientStock, productNotFound, stockLimitExceeded, stockNotSettable } from './product.errors';
import { ProductCountCache } from './product-count.cache';
import { ProductFields, ProductRepository, ProductSearch } from './product.repository';
import { DEFAULT_PRODUCT_SORT, normalizeTags } from './product.rules';

@Injectable()
export class ProductsService {
  private readonly counts: ProductCountCache;

  constructor(
    private readonly products: ProductRepository,
    @Inject(APP_CONFIG) config: ProductServiceConfig,
  ) {
    this.counts = new ProductCountCache(config.PRODUCT_COUNT_CACHE_MS);
  }

  async list(query: ListProductsQuery): Promise<Page<ProductEntity>> {
    const search: ProductSearch = {
      categoryId: query.categoryId,
      search: query.search || undefined,
      tags: query.tags?.length ? normalizeTags(query.tags) : undefined,
      minPrice: query.minPrice,
      maxPrice: query.maxPrice,
      inStock: query.inStock,
      includeInactive: query.includeInactive ?? false,
      sort: query.sort ?? DEFAULT_PRODUCT_SORT,
      offset: pageOffset(query),
      limit: query.limit,
    };
    const [items, total] = await Promise.all([this.products.findPage(search), this.countOf(search)]);
    return toPage(items, query, total);
  }

  /** Stock moves with every order: a count that depends on it is never reused. */
  private countOf(search: ProductSearch): Promise<number> {
    if (search.inStock !== undefined) return this.products.count(search);
    const { sort: _sort, offset: _offset, limit: _limit, ...filters } = search;
    return this.counts.get(JSON.stringify(filters), () => this.products.count(search));
  }

  async get(id: string): Promise<ProductEntity> {
    const product = await this.products.readById(id);
    if (!product) throw productNotFound(id);
    return product;
  }

  /** Many products at once, in the order asked (inactive ones included: orders refer to them); unknown ids are left out. */
  async getMany(ids: readonly string[]): Promise<ProductEntity[]> {
    const wanted = [...new Set(ids.map((id) => id.toLowerCase()))];
    const byId = new Map((await this.products.findByIds(wanted)).map((p) => [p.id, p]));
    return wanted.flatMap((id) => byId.get(id) ?? []);
  }

  async create(input: CreateProductDto): Promise<ProductEntity> {
    const fields: ProductFields = {
      name: input.name,
      description: input.description ?? null,
      price: input.price,
      categoryId: input.categoryId,
      stock: input.stock ?? 0,
      tags: normalizeTags(input.tags ?? []),
      isActive: input.isActive ?? true,
    };
    try {
      return await this.products.insert(fields);
    } catch (err) {
      throw unknownCategoryOr(err, fields.categoryId);
    } finally {
      this.counts.clear();
    }
  }

  async update(id: string, input: UpdateProductDto): Promise<ProductEntity> {
    const { stock, ...fields } = input;
    if (stock !== undefined) throw stockNotSettable(id);
    let product: ProductEntity | undefined;
    try {
      product = await this.products.update(id, { ...fields, tags: fields.tags && normalizeTags(fields.tags) });
    } catch (err) {
      throw unknownCategoryOr(err, input.categoryId);
    } finally {
      this.counts.clear();
    }
    if (!product) throw productNotFound(id);
    return product;
  }

  /**
   * A product that was ever reserved stays: orders refer to it and releases give stock back to
   * it. Such a product is withdrawn with `isActive: false` instead.
   */
  async remove(id: string): Promise<ProductEntity> {
    let product: ProductEntity | undefined;
    try {
      product = await this.products.delete(id);
    } catch (err) {
      if (isForeignKeyViolation(err, 'reservation_items_product_id_fkey')) {
        throw new ConflictError(`Product ${id} has been reserved for orders and cannot be deleted; set isActive to false to withdraw it`, {
          code: 'PRODUCT_IN_USE',
        });
      }
      throw err;
    } finally {
      this.counts.clear();
    }
    if (!product) throw productNotFound(id);
    return product;
  }

  /** Moves the stock by a delta, atomically; refuses what would take it below zero. */
  async adjustStock(id: string, delta: number): Promise<ProductEntity> {
    const adjusted = await this.products.adjustStock(id, delta);
    if (adjusted) return adjusted;
    // The conditional update matched nothing: say why, from the state that refused it.
    const product = await this.products.findById(id);
    if (!product) throw productNotFound(id);
    throw delta < 0 ? insufficientStock(product, -delta) : stockLimitExceeded(product, delta);
  }
}

function unknownCategoryOr(err: unknown, categoryId: string | undefined): unknown {
  return isForeignKeyViolation(err, 'products_category_id_fkey')
    ? new UnprocessableError(`Category ${categoryId} does not exist`, {
        code: 'UNKNOWN_CATEGORY',
        details: [{ path: 'body.categoryId', message: 'no such category' }],
      })
    : err;
}
