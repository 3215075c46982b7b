import { RequestHandler, Router } from 'express';
import { ok } from '@shop/contracts';
import { currentUser, validate } from '@shop/express-kit';
import { UpdateProfileInput, updateProfileBodySchema } from '../user.schemas';
import type { UpdateProfile } from './update-profile.use-case';

/** PUT /api/users/profile; `failedPasswordChanges` counts wrong current passwords. */
export function updateProfileRoute(
  router: Router,
  updateProfile: UpdateProfile,
  authenticate: RequestHandler,
  failedPasswordChanges: RequestHandler,
): void {
  router.put('/profile', authenticate, validate({ body: updateProfileBodySchema }), failedPasswordChanges, async (req, res) => {
    res.json(ok(await updateProfile.execute(currentUser(req).id, req.body as UpdateProfileInput), 'Profile updated'));
  });
}
