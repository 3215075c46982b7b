import { PAGINATION } from '@shop/contracts';
import { pageQuerySchema } from './page-query.schema';

describe('pageQuerySchema (the paging rule of @shop/errors, for zod)', () => {
  it('defaults to page 1 of 20, and serves a page size above the maximum at the maximum', () => {
    expect(pageQuerySchema.parse({})).toEqual({ page: 1, limit: PAGINATION.defaultLimit });
    expect(pageQuerySchema.parse({ page: '3', limit: '1000' })).toEqual({ page: 3, limit: PAGINATION.maxLimit });
  });

  it.each([{ page: '0' }, { page: String(PAGINATION.maxPage + 1) }, { limit: '0' }, { limit: 'abc' }, { limit: '2.5' }, { sort: 'x' }])(
    'refuses %j',
    (query) => {
      expect(pageQuerySchema.safeParse(query).success).toBe(false);
    },
  );
});
