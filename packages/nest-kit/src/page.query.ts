import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { capLimit, PAGINATION } from '@shop/contracts';

/** A number in a query string; what is not one stays as it is, for the validators to refuse by name. */
const numberFromQuery = (value: unknown): unknown => {
  if (typeof value !== 'string' || value.trim() === '') return value;
  const n = Number(value);
  return Number.isNaN(n) ? value : n;
};

/** `?page=&limit=` of every Nest list, by the one rule of @shop/errors' PAGINATION (extend it with filters). */
export class PageQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: PAGINATION.maxPage, default: 1 })
  @Transform(({ value }) => numberFromQuery(value))
  @IsInt()
  @Min(1)
  @Max(PAGINATION.maxPage)
  page: number = 1;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    default: PAGINATION.defaultLimit,
    description: `Values above ${PAGINATION.maxLimit} are served at ${PAGINATION.maxLimit}`,
  })
  @Transform(({ value }) => {
    const n = numberFromQuery(value);
    return typeof n === 'number' ? capLimit(n) : n;
  })
  @IsInt()
  @Min(1)
  limit: number = PAGINATION.defaultLimit;
}
