import { Body, Controller, Delete, Get, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ok } from '@shop/contracts';
import { ApiEnvelope, ApiErrors, Restricted } from '@shop/nest-kit';
import { UuidParam } from '../common/uuid-param';
import { CategoryService } from './category.service';
import { CategoryView, toCategoryView } from './dto/category.view';
import { CreateCategoryDto } from './dto/create-category.dto';
import { UpdateCategoryDto } from './dto/update-category.dto';

@ApiTags('categories')
@Controller('api/categories')
export class CategoryController {
  constructor(private readonly categories: CategoryService) {}

  @Get()
  @ApiOperation({ summary: 'All categories, by name' })
  @ApiEnvelope({ key: 'categories', type: CategoryView, isArray: true, description: 'The categories' })
  async list() {
    const categories = await this.categories.list();
    return ok({ categories: categories.map(toCategoryView) });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One category' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiEnvelope({ key: 'category', type: CategoryView, description: 'The category' })
  @ApiErrors([400, 'INVALID_ID: the id is not a UUID'], [404, 'CATEGORY_NOT_FOUND'])
  async get(@UuidParam('id') id: string) {
    return ok({ category: toCategoryView(await this.categories.get(id)) });
  }

  @Post()
  @Restricted('internal-or-admin')
  @ApiOperation({ summary: 'Create a category' })
  @ApiEnvelope({ key: 'category', type: CategoryView, status: 201, description: 'Created' })
  @ApiErrors([400, 'VALIDATION_FAILED'], [409, 'CATEGORY_ALREADY_EXISTS: the name is taken (ignoring case)'])
  async create(@Body() body: CreateCategoryDto) {
    return ok({ category: toCategoryView(await this.categories.create(body)) }, 'Category created');
  }

  @Put(':id')
  @Restricted('internal-or-admin')
  @ApiOperation({ summary: 'Change a category', description: 'Fields left out stay as they are.' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiEnvelope({ key: 'category', type: CategoryView, description: 'The changed category' })
  @ApiErrors([400, 'VALIDATION_FAILED or INVALID_ID'], [404, 'CATEGORY_NOT_FOUND'], [409, 'CATEGORY_ALREADY_EXISTS'])
  async update(@UuidParam('id') id: string, @Body() body: UpdateCategoryDto) {
    return ok({ category: toCategoryView(await this.categories.update(id, body)) }, 'Category updated');
  }

  @Delete(':id')
  @Restricted('internal-or-admin')
  @ApiOperation({ summary: 'Delete an empty category' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiEnvelope({ key: 'category', type: CategoryView, description: 'The deleted category' })
  @ApiErrors([400, 'INVALID_ID'], [404, 'CATEGORY_NOT_FOUND'], [409, 'CATEGORY_NOT_EMPTY: it still has products'])
  async remove(@UuidParam('id') id: string) {
    return ok({ category: toCategoryView(await this.categories.remove(id)) }, 'Category deleted');
  }
}
