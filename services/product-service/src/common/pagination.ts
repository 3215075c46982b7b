import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { NumberString } from './validation';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/** Far beyond any real catalogue; keeps OFFSET arithmetic well inside PostgreSQL's bigint. */
const MAX_PAGE = 1_000_000;

/** `page` (from 1) and `limit` (default 20; larger values are capped at 100). */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 1 })
  @NumberString()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page: number = 1;

  @ApiPropertyOptional({
    minimum: 1,
    default: DEFAULT_PAGE_SIZE,
    description: `Values above ${MAX_PAGE_SIZE} are capped at ${MAX_PAGE_SIZE}`,
  })
  @NumberString({ capAt: MAX_PAGE_SIZE })
  @IsInt()
  @Min(1)
  limit: number = DEFAULT_PAGE_SIZE;
}

export interface Pagination {
  page: number;
  limit: number;
  total: number;
  totalPages: number;
}

export interface Page<T> {
  items: T[];
  pagination: Pagination;
}

export const paginate = <T>(items: T[], query: PageQuery, total: number): Page<T> => ({
  items,
  pagination: { page: query.page, limit: query.limit, total, totalPages: Math.ceil(total / query.limit) },
});
