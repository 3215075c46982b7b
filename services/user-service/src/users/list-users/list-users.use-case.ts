import type { UserDto } from '@shop/contracts';
import { pageOffset, Pagination, paginationOf } from '@shop/contracts';
import { toUserDto } from '../user.model';
import type { UserStore } from '../user.ports';
import type { ListUsersQuery } from '../user.schemas';

export interface UserList {
  users: UserDto[];
  pagination: Pagination;
}

/** A page of users, newest first, for admins (GET /api/users). */
export class ListUsers {
  constructor(private readonly deps: { store: UserStore }) {}

  async execute(query: ListUsersQuery): Promise<UserList> {
    const { users, total } = await this.deps.store.list({ role: query.role }, { skip: pageOffset(query), limit: query.limit });
    return { users: users.map(toUserDto), pagination: paginationOf(query, total) };
  }
}
