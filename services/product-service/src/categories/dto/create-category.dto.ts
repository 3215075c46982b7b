import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CategoryDescription, CategoryName } from './category-fields';

export class CreateCategoryDto {
  @ApiProperty({ example: 'Electronics', maxLength: 100, pattern: '\\S', description: 'Unique, ignoring case' })
  @CategoryName()
  name: string;

  @ApiPropertyOptional({ example: 'Electronic devices and accessories', maxLength: 1000, nullable: true, type: String })
  @CategoryDescription()
  description?: string | null;
}
