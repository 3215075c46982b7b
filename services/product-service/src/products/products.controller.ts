import { Body, Controller, Delete, Get, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ok } from '@shop/contracts';
import { ApiEnvelope, ApiErrors, IdParam, Restricted, UUID_ID } from '@shop/nest-kit';
import { AdjustStockDto } from './dto/adjust-stock.dto';
import { BatchProductsQuery } from './dto/batch-products.query';
import { CreateProductDto } from './dto/create-product.dto';
import { ListProductsQuery } from './dto/list-products.query';
import { ProductResponse, toProductResponse } from './dto/product.response';
import { UpdateProductDto } from './dto/update-product.dto';
import { ProductsService } from './products.service';

@ApiTags('products')
@Controller('api/products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get()
  @ApiOperation({ summary: 'Active products, filtered, sorted and paginated' })
  @ApiEnvelope({ key: 'products', type: ProductResponse, isArray: true, paginated: true, description: 'One page of products' })
  @ApiErrors([400, 'VALIDATION_FAILED: a bad filter, sort or page'])
  async list(@Query() query: ListProductsQuery) {
    const page = await this.products.list(query);
    return ok({ products: page.items.map(toProductResponse), pagination: page.pagination });
  }

  // Declared before `:id`, which would otherwise take "batch" for an id.
  @Get('batch')
  @ApiOperation({
    summary: 'Many products by id in one call',
    description: 'Unknown ids are simply absent; inactive products are included.',
  })
  @ApiEnvelope({ key: 'products', type: ProductResponse, isArray: true, description: 'The products found, in the order asked' })
  @ApiErrors([400, 'VALIDATION_FAILED: no ids, more than 100, or one is not a UUID'])
  async batch(@Query() query: BatchProductsQuery) {
    const products = await this.products.getMany(query.ids);
    return ok({ products: products.map(toProductResponse) });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One product' })
  @ApiEnvelope({ key: 'product', type: ProductResponse, description: 'The product' })
  @ApiErrors([400, 'INVALID_ID: the id is not a UUID'], [404, 'PRODUCT_NOT_FOUND'])
  async get(@IdParam('id', UUID_ID) id: string) {
    return ok({ product: toProductResponse(await this.products.get(id)) });
  }

  @Post()
  @Restricted('internal-or-admin')
  @ApiOperation({ summary: 'Create a product' })
  @ApiEnvelope({ key: 'product', type: ProductResponse, status: 201, description: 'Created' })
  @ApiErrors([400, 'VALIDATION_FAILED'], [422, 'UNKNOWN_CATEGORY: categoryId names no category'])
  async create(@Body() body: CreateProductDto) {
    return ok({ product: toProductResponse(await this.products.create(body)) }, 'Product created');
  }

  @Put(':id')
  @Restricted('internal-or-admin')
  @ApiOperation({
    summary: 'Change a product',
    description: 'Fields left out stay as they are. The stock is not set here: it moves by deltas with PUT /api/products/{id}/stock.',
  })
  @ApiEnvelope({ key: 'product', type: ProductResponse, description: 'The changed product' })
  @ApiErrors(
    [400, 'VALIDATION_FAILED or INVALID_ID'],
    [404, 'PRODUCT_NOT_FOUND'],
    [422, 'UNKNOWN_CATEGORY, or STOCK_NOT_SETTABLE: a body with `stock`'],
  )
  async update(@IdParam('id', UUID_ID) id: string, @Body() body: UpdateProductDto) {
    return ok({ product: toProductResponse(await this.products.update(id, body)) }, 'Product updated');
  }

  @Delete(':id')
  @Restricted('internal-or-admin')
  @ApiOperation({ summary: 'Delete a product that was never reserved' })
  @ApiEnvelope({ key: 'product', type: ProductResponse, description: 'The deleted product' })
  @ApiErrors([400, 'INVALID_ID'], [404, 'PRODUCT_NOT_FOUND'], [409, 'PRODUCT_IN_USE: it has reservations; deactivate it instead'])
  async remove(@IdParam('id', UUID_ID) id: string) {
    return ok({ product: toProductResponse(await this.products.remove(id)) }, 'Product deleted');
  }

  @Put(':id/stock')
  @Restricted('internal')
  @ApiOperation({ summary: 'Move the stock by a delta', description: 'One conditional update: the stock never goes below zero.' })
  @ApiEnvelope({ key: 'product', type: ProductResponse, description: 'The product with its new stock' })
  @ApiErrors(
    [400, 'VALIDATION_FAILED or INVALID_ID'],
    [404, 'PRODUCT_NOT_FOUND'],
    [409, 'INSUFFICIENT_STOCK: the stock would go below zero'],
    [422, 'STOCK_LIMIT_EXCEEDED'],
  )
  async adjustStock(@IdParam('id', UUID_ID) id: string, @Body() body: AdjustStockDto) {
    return ok({ product: toProductResponse(await this.products.adjustStock(id, body.quantity)) }, 'Stock updated');
  }
}
