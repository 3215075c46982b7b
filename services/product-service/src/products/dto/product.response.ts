import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ProductDto } from '@shop/contracts';
import { ProductEntity } from '../product.entity';

/** A product as the API returns it (`data.product`): the contract's ProductDto. */
export class ProductResponse implements ProductDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Laptop Computer' })
  name: string;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'High-performance laptop for development' })
  description: string | null;

  @ApiProperty({ example: 999.99, description: 'Exact, two decimals' })
  price: number;

  @ApiProperty({ format: 'uuid' })
  categoryId: string;

  @ApiProperty({ example: 10 })
  stock: number;

  @ApiProperty({ type: [String], example: ['laptop', 'computer'] })
  tags: string[];

  @ApiProperty()
  isActive: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export const toProductResponse = (product: ProductEntity): ProductResponse => ({
  id: product.id,
  name: product.name,
  description: product.description,
  price: product.price,
  categoryId: product.categoryId,
  stock: product.stock,
  tags: product.tags,
  isActive: product.isActive,
  createdAt: product.createdAt.toISOString(),
  updatedAt: product.updatedAt.toISOString(),
});
