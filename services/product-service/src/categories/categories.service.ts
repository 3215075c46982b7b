import { Injectable } from '@nestjs/common';
import { ConflictError, isForeignKeyViolation, isUniqueViolation, NotFoundError } from '@shop/errors';
import { CategoryEntity } from './category.entity';
import { CategoryFields, CategoryRepository } from './category.repository';

export const categoryNotFound = (id: string) => new NotFoundError(`Category ${id} does not exist`, { code: 'CATEGORY_NOT_FOUND' });

@Injectable()
export class CategoriesService {
  constructor(private readonly categories: CategoryRepository) {}

  list(): Promise<CategoryEntity[]> {
    return this.categories.findAll();
  }

  async get(id: string): Promise<CategoryEntity> {
    const category = await this.categories.findById(id);
    if (!category) throw categoryNotFound(id);
    return category;
  }

  async create(fields: CategoryFields): Promise<CategoryEntity> {
    try {
      return await this.categories.insert(fields);
    } catch (err) {
      throw duplicateNameOr(err, fields.name);
    }
  }

  async update(id: string, changes: Partial<CategoryFields>): Promise<CategoryEntity> {
    let category: CategoryEntity | undefined;
    try {
      category = await this.categories.update(id, changes);
    } catch (err) {
      throw duplicateNameOr(err, changes.name);
    }
    if (!category) throw categoryNotFound(id);
    return category;
  }

  /** Only an empty category can go; the foreign key decides, so a product added meanwhile still counts. */
  async remove(id: string): Promise<CategoryEntity> {
    let category: CategoryEntity | undefined;
    try {
      category = await this.categories.delete(id);
    } catch (err) {
      if (isForeignKeyViolation(err, 'products_category_id_fkey')) {
        throw new ConflictError(`Category ${id} still has products: move or delete them first`, { code: 'CATEGORY_NOT_EMPTY' });
      }
      throw err;
    }
    if (!category) throw categoryNotFound(id);
    return category;
  }
}

function duplicateNameOr(err: unknown, name: string | undefined): unknown {
  return isUniqueViolation(err, 'categories_name_key')
    ? new ConflictError(`A category named "${name}" already exists`, { code: 'CATEGORY_ALREADY_EXISTS' })
    : err;
}
