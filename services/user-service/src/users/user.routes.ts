import { RequestHandler, Router } from 'express';
import { ok } from '@shop/errors';
import { currentUser, requireInternalKey, requireRole, validate } from '@shop/express-kit';
import { ListUsersQuery, listUsersQuerySchema, UpdateProfileInput, updateProfileBodySchema, userIdParamsSchema } from './user.schemas';
import { UserService } from './user.service';

export interface UserRoutesDeps {
  users: UserService;
  /** requireUser(...) with this service's own token check. */
  authenticate: RequestHandler;
  /** Counts wrong current passwords on a password change. */
  failedPasswordChanges: RequestHandler;
  internalKeys: readonly string[];
}

/** Mounted at /api/users: the caller's profile, internal look-ups, and the admins' user list. */
export function userRoutes({ users, authenticate, failedPasswordChanges, internalKeys }: UserRoutesDeps): Router {
  const router = Router();

  router.get('/profile', authenticate, async (req, res) => {
    res.json(ok({ user: await users.getUser(currentUser(req).id) }));
  });

  router.put('/profile', authenticate, validate({ body: updateProfileBodySchema }), failedPasswordChanges, async (req, res) => {
    res.json(ok(await users.updateProfile(currentUser(req).id, req.body as UpdateProfileInput), 'Profile updated'));
  });

  router.get('/internal/:userId', requireInternalKey(internalKeys), validate({ params: userIdParamsSchema }), async (req, res) => {
    res.json(ok({ user: await users.getUser(req.params.userId as string) }));
  });

  router.get('/', authenticate, requireRole('admin'), validate({ query: listUsersQuerySchema }), async (req, res) => {
    res.json(ok(await users.list(req.query as unknown as ListUsersQuery)));
  });

  return router;
}
