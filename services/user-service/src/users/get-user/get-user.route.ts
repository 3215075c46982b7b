import { RequestHandler, Router } from 'express';
import { ok } from '@shop/contracts';
import { currentUser, requireInternalKey, validate } from '@shop/express-kit';
import { userIdParamsSchema } from '../user.schemas';
import type { GetUser } from './get-user.use-case';

/** GET /api/users/profile (the caller), GET /api/users/internal/:userId (another service) */
export function getUserRoute(router: Router, getUser: GetUser, authenticate: RequestHandler, internalKeys: readonly string[]): void {
  router.get('/profile', authenticate, async (req, res) => {
    res.json(ok({ user: await getUser.execute(currentUser(req).id) }));
  });

  router.get('/internal/:userId', requireInternalKey(internalKeys), validate({ params: userIdParamsSchema }), async (req, res) => {
    res.json(ok({ user: await getUser.execute(req.params.userId as string) }));
  });
}
