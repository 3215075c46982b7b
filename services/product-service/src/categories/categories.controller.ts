import { Body, Controller, Delete, Get, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ok } from '@shop/contracts';
import { ApiEnvelope, ApiErrors, IdParam, Restricted, UUID_ID } from '@shop/nest-kit';
import { CategoriesService } from './categories.service';
import { CategoryResponse, toCategoryResponse } from './dto/category.response';
import { CreateCategoryDto } from './dto/create-category.dto';
import { UpdateCategoryDto } from './dto/update-category.dto';

@ApiTags('categories')
@Controller('api/categories')
export class CategoriesController {
  constructor(private readonly categories: CategoriesService) {}

  @Get()
  @ApiOperation({ summary: 'All categories, by name' })
  @ApiEnvelope({ key: 'categories', type: CategoryResponse, isArray: true, description: 'The categories' })
  async list() {
    const categories = await this.categories.list();
    return ok({ categories: categories.map(toCategoryResponse) });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One category' })
  @ApiEnvelope({ key: 'category', type: CategoryResponse, description: 'The category' })
  @ApiErrors([400, 'INVALID_ID: the id is not a UUID'], [404, 'CATEGORY_NOT_FOUND'])
  async get(@IdParam('id', UUID_ID) id: string) {
    return ok({ category: toCategoryResponse(await this.categories.get(id)) });
  }

  @Post()
  @Restricted('internal-or-admin')
  @ApiOperation({ summary: 'Create a category' })
  @ApiEnvelope({ key: 'category', type: CategoryResponse, status: 201, description: 'Created' })
  @ApiErrors([400, 'VALIDATION_FAILED'], [409, 'CATEGORY_ALREADY_EXISTS: the name is taken (ignoring case)'])
  async create(@Body() body: CreateCategoryDto) {
    return ok({ category: toCategoryResponse(await this.categories.create(body)) }, 'Category created');
  }

  @Put(':id')
  @Restricted('internal-or-admin')
  @ApiOperation({ summary: 'Change a category', description: 'Fields left out stay as they are.' })
  @ApiEnvelope({ key: 'category', type: CategoryResponse, description: 'The changed category' })
  @ApiErrors([400, 'VALIDATION_FAILED or INVALID_ID'], [404, 'CATEGORY_NOT_FOUND'], [409, 'CATEGORY_ALREADY_EXISTS'])
  async update(@IdParam('id', UUID_ID) id: string, @Body() body: UpdateCategoryDto) {
    return ok({ category: toCategoryResponse(await this.categories.update(id, body)) }, 'Category updated');
  }

  @Delete(':id')
  @Restricted('internal-or-admin')
  @ApiOperation({ summary: 'Delete an empty category' })
  @ApiEnvelope({ key: 'category', type: CategoryResponse, description: 'The deleted category' })
  @ApiErrors([400, 'INVALID_ID'], [404, 'CATEGORY_NOT_FOUND'], [409, 'CATEGORY_NOT_EMPTY: it still has products'])
  async remove(@IdParam('id', UUID_ID) id: string) {
    return ok({ category: toCategoryResponse(await this.categories.remove(id)) }, 'Category deleted');
  }
}
