import { RequestHandler, Router } from 'express';
import { ok } from '@shop/contracts';
import { requireRole, validate } from '@shop/express-kit';
import { ListUsersQuery, listUsersQuerySchema } from '../user.schemas';
import type { ListUsers } from './list-users.use-case';

/** GET /api/users (admins) */
export function listUsersRoute(router: Router, listUsers: ListUsers, authenticate: RequestHandler): void {
  router.get('/', authenticate, requireRole('admin'), validate({ query: listUsersQuerySchema }), async (req, res) => {
    res.json(ok(await listUsers.execute(req.query as unknown as ListUsersQuery)));
  });
}
