import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { givenFields, hydrateFirst } from '../database/rows';
import { CategoryEntity } from './category.entity';

export interface CategoryFields {
  name: string;
  description?: string | null;
}

/** Data access for categories; database errors (unique name, foreign key) surface as they are. */
@Injectable()
export class CategoryRepository {
  constructor(@InjectRepository(CategoryEntity) private readonly categories: Repository<CategoryEntity>) {}

  findAll(): Promise<CategoryEntity[]> {
    return this.categories.createQueryBuilder('c').orderBy('lower(c.name)').addOrderBy('c.id').getMany();
  }

  findById(id: string): Promise<CategoryEntity | null> {
    return this.categories.findOneBy({ id });
  }

  insert(fields: CategoryFields): Promise<CategoryEntity> {
    return this.categories.save(this.categories.create({ name: fields.name, description: fields.description ?? null }));
  }

  /** Applies the given fields in one statement; undefined when there is no such category. */
  async update(id: string, changes: Partial<CategoryFields>): Promise<CategoryEntity | undefined> {
    const set = givenFields(changes);
    if (Object.keys(set).length === 0) return (await this.findById(id)) ?? undefined;
    const { raw } = await this.categories.createQueryBuilder().update().set(set).where('id = :id', { id }).returning('*').execute();
    return hydrateFirst(this.categories.manager, CategoryEntity, raw);
  }

  /** Deletes and returns the category; undefined when there was none. */
  async delete(id: string): Promise<CategoryEntity | undefined> {
    const { raw } = await this.categories.createQueryBuilder().delete().where('id = :id', { id }).returning('*').execute();
    return hydrateFirst(this.categories.manager, CategoryEntity, raw);
  }
}
