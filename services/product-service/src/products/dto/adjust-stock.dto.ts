import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min, NotEquals } from 'class-validator';
import { MAX_STOCK } from '../product.rules';

export class AdjustStockDto {
  @ApiProperty({
    type: 'integer',
    example: -2,
    minimum: -MAX_STOCK,
    maximum: MAX_STOCK,
    description: 'A delta, not zero: negative takes stock, positive adds it',
    not: { enum: [0] },
  })
  @IsInt()
  @NotEquals(0)
  @Min(-MAX_STOCK)
  @Max(MAX_STOCK)
  quantity: number;
}
