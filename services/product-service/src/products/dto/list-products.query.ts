import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '@shop/nest-kit';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsMoneyAmount, MAX_PRICE } from '../../common/money';
import { BooleanString, CommaList, IsUuid, NumberString, Trim } from '../../common/validation';
import { PRODUCT_SORTS, ProductSort } from '../product.rules';

export class ListProductsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUuid()
  categoryId?: string;

  @ApiPropertyOptional({ maxLength: 100, description: 'Text found in the name or description, ignoring case (% and _ are literal)' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  search?: string;

  @ApiPropertyOptional({ type: String, example: 'laptop,mouse', description: 'Comma-separated: products with any of these tags' })
  @IsOptional()
  @CommaList()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ example: 10, minimum: 0, maximum: MAX_PRICE })
  @IsOptional()
  @NumberString()
  @IsMoneyAmount()
  @Min(0)
  @Max(MAX_PRICE)
  minPrice?: number;

  @ApiPropertyOptional({ example: 1000, minimum: 0, maximum: MAX_PRICE, description: 'Below minPrice: an empty page' })
  @IsOptional()
  @NumberString()
  @IsMoneyAmount()
  @Min(0)
  @Max(MAX_PRICE)
  maxPrice?: number;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: '`true`: only products with stock; `false`: only sold-out ones' })
  @IsOptional()
  @BooleanString()
  @IsBoolean()
  inStock?: boolean;

  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false', description: 'Also list inactive (withdrawn) products' })
  @IsOptional()
  @BooleanString()
  @IsBoolean()
  includeInactive?: boolean;

  @ApiPropertyOptional({ enum: PRODUCT_SORTS, default: '-createdAt', description: 'A field, `-` first for descending' })
  @IsOptional()
  @IsIn(PRODUCT_SORTS)
  sort?: ProductSort;
}
