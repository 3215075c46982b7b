import { ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_PRICE } from '../../common/money';
import { OmittableField } from '../../common/validation';
import { MAX_STOCK } from '../product.rules';
import { CategoryId, IsActive, Price, ProductDescription, ProductName, Stock, Tags } from './product-fields';

/** Fields left out stay as they are. */
export class UpdateProductDto {
  @ApiPropertyOptional({ example: 'Laptop Computer Pro', maxLength: 200 })
  @OmittableField()
  @ProductName()
  name?: string;

  @ApiPropertyOptional({ maxLength: 5000, nullable: true, type: String, description: '`null` clears it' })
  @ProductDescription()
  description?: string | null;

  @ApiPropertyOptional({ example: 1099.99, minimum: 0.01, maximum: MAX_PRICE })
  @OmittableField()
  @Price()
  price?: number;

  @ApiPropertyOptional({ format: 'uuid' })
  @OmittableField()
  @CategoryId()
  categoryId?: string;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_STOCK,
    description: 'Sets the stock to this count (an inventory correction); services move stock by deltas with PUT /api/products/{id}/stock',
  })
  @OmittableField()
  @Stock()
  stock?: number;

  @ApiPropertyOptional({ type: [String], description: 'Replaces the tags' })
  @OmittableField()
  @Tags()
  tags?: string[];

  @ApiPropertyOptional()
  @OmittableField()
  @IsActive()
  isActive?: boolean;
}
