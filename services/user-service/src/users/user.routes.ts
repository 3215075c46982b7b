import { RequestHandler, Router } from 'express';
import { getUserRoute } from './get-user/get-user.route';
import { listUsersRoute } from './list-users/list-users.route';
import { updateProfileRoute } from './update-profile/update-profile.route';
import type { UserUseCases } from './user-use-cases';

export interface UserRoutesDeps {
  users: UserUseCases;
  /** requireUser(...) with this service's own token check. */
  authenticate: RequestHandler;
  /** Counts wrong current passwords on a password change. */
  failedPasswordChanges: RequestHandler;
  internalKeys: readonly string[];
}

/** Mounted at /api/users: each use case's route (HTTP only: validate, execute, send the envelope), beside its use case. */
export function userRoutes({ users, authenticate, failedPasswordChanges, internalKeys }: UserRoutesDeps): Router {
  const router = Router();
  getUserRoute(router, users.getUser, authenticate, internalKeys);
  updateProfileRoute(router, users.updateProfile, authenticate, failedPasswordChanges);
  listUsersRoute(router, users.listUsers, authenticate);
  return router;
}
