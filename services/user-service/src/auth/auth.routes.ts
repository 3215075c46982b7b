import { Router } from 'express';
import type { AuthUseCases } from './auth-use-cases';
import { AuthLimiters } from './login-throttle';
import { loginRoute } from './login/login.route';
import { registerRoute } from './register/register.route';
import { validateTokenRoute } from './validate-token/validate-token.route';

export interface AuthRoutesDeps {
  auth: AuthUseCases;
  limiters: AuthLimiters;
  internalKeys: readonly string[];
}

/** Mounted at /api/users: sign-up, sign-in, and token validation for the other services, each route beside its use case. */
export function authRoutes({ auth, limiters, internalKeys }: AuthRoutesDeps): Router {
  const router = Router();
  registerRoute(router, auth.register, limiters.perClient);
  loginRoute(router, auth.login, limiters.perClient, limiters.failedLogins);
  validateTokenRoute(router, auth.validateToken, internalKeys);
  return router;
}
