import { ApiHideProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow } from 'class-validator';
import { MAX_PRICE } from '../../common/money';
import { OmittableField } from '../../common/validation';
import { CategoryId, IsActive, Price, ProductDescription, ProductName, Tags } from './product-fields';

/** Fields left out stay as they are. */
export class UpdateProductDto {
  @ApiPropertyOptional({ example: 'Laptop Computer Pro', maxLength: 200, pattern: '\\S' })
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

  /**
   * Not settable here: an absolute count would overwrite reservations made since it was read.
   * Accepted by validation only so the service can answer with the endpoint that moves it.
   */
  @ApiHideProperty()
  @Allow()
  stock?: unknown;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', maxLength: 50, pattern: '\\S' },
    maxItems: 20,
    description: 'Replaces the tags',
  })
  @OmittableField()
  @Tags()
  tags?: string[];

  @ApiPropertyOptional()
  @OmittableField()
  @IsActive()
  isActive?: boolean;
}
