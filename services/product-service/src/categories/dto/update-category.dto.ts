import { ApiPropertyOptional } from '@nestjs/swagger';
import { OmittableField } from '../../common/validation';
import { CategoryDescription, CategoryName } from './category-fields';

/** Fields left out stay as they are. */
export class UpdateCategoryDto {
  @ApiPropertyOptional({ example: 'Computers', maxLength: 100, pattern: '\\S' })
  @OmittableField()
  @CategoryName()
  name?: string;

  @ApiPropertyOptional({ maxLength: 1000, nullable: true, type: String, description: '`null` clears it' })
  @CategoryDescription()
  description?: string | null;
}
