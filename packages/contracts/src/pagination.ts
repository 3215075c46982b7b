/**
 * The one paging contract of every list (`?page=&limit=` in, `data.pagination` out). The rule:
 * `page` from 1 to PAGINATION.maxPage (beyond it: 400; it keeps OFFSET/skip a number both
 * databases accept); `limit` from 1, default 20, and a larger value than PAGINATION.maxLimit is
 * served at that maximum rather than refused (a client asking for "everything" gets the most
 * a page holds). The query schemas that enforce it: nest-kit's PageQuery and express-kit's
 * pageQuerySchema.
 */
export const PAGINATION = { defaultLimit: 20, maxLimit: 100, maxPage: 100_000 } as const;

export interface PageRequest {
  page: number;
  limit: number;
}

/** `data.pagination` of every list answer (the field names clients rely on). */
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

/** How many rows come before the page (SQL OFFSET, MongoDB skip). */
export const pageOffset = ({ page, limit }: PageRequest): number => (page - 1) * limit;

export const paginationOf = ({ page, limit }: PageRequest, total: number): Pagination => ({
  page,
  limit,
  total,
  totalPages: Math.ceil(total / limit),
});

export const toPage = <T>(items: T[], request: PageRequest, total: number): Page<T> => ({
  items,
  pagination: paginationOf(request, total),
});

/** A requested page size, capped at PAGINATION.maxLimit (the validators refuse what is not a positive integer). */
export const capLimit = (limit: number): number => Math.min(limit, PAGINATION.maxLimit);
