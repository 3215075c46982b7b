import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CategoryDto } from '@shop/contracts';
import { CategoryEntity } from '../category.entity';

/** A category as the API returns it (`data.category`). */
export class CategoryResponse implements CategoryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Electronics' })
  name: string;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'Electronic devices and accessories' })
  description: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export const toCategoryResponse = (category: CategoryEntity): CategoryResponse => ({
  id: category.id,
  name: category.name,
  description: category.description,
  createdAt: category.createdAt.toISOString(),
  updatedAt: category.updatedAt.toISOString(),
});
