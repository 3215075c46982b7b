import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OmittableField } from '../../common/validation';
import { MAX_PRICE } from '../../common/money';
import { MAX_STOCK } from '../product.rules';
import { CategoryId, IsActive, Price, ProductDescription, ProductName, Stock, Tags } from './product-fields';

export class CreateProductDto {
  @ApiProperty({ example: 'Laptop Computer', maxLength: 200, pattern: '\\S' })
  @ProductName()
  name: string;

  @ApiPropertyOptional({ example: 'High-performance laptop for development', maxLength: 5000, nullable: true, type: String })
  @ProductDescription()
  description?: string | null;

  @ApiProperty({ example: 999.99, minimum: 0.01, maximum: MAX_PRICE, description: 'At most two decimals' })
  @Price()
  price: number;

  @ApiProperty({ format: 'uuid', description: 'An existing category' })
  @CategoryId()
  categoryId: string;

  @ApiPropertyOptional({ type: 'integer', example: 10, minimum: 0, maximum: MAX_STOCK, default: 0 })
  @OmittableField()
  @Stock()
  stock?: number;

  @ApiPropertyOptional({
    example: ['laptop', 'computer'],
    type: 'array',
    items: { type: 'string', maxLength: 50, pattern: '\\S' },
    maxItems: 20,
    description: 'Up to 20; stored trimmed, lower-case, once each',
  })
  @OmittableField()
  @Tags()
  tags?: string[];

  @ApiPropertyOptional({ default: true, description: 'Inactive products are hidden from the list and cannot be reserved' })
  @OmittableField()
  @IsActive()
  isActive?: boolean;
}
