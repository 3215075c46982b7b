import { Router } from 'express';
import { ok } from '@shop/errors';
import { requireInternalKey, validate } from '@shop/express-kit';
import { LoginInput, loginBodySchema, RegisterInput, registerBodySchema, validateTokenBodySchema } from './auth.schemas';
import { AuthService } from './auth.service';
import { AuthLimiters } from './login-throttle';

export interface AuthRoutesDeps {
  auth: AuthService;
  limiters: AuthLimiters;
  internalKeys: readonly string[];
}

/** Mounted at /api/users: sign-up, sign-in, and token validation for the other services. */
export function authRoutes({ auth, limiters, internalKeys }: AuthRoutesDeps): Router {
  const router = Router();

  router.post('/register', limiters.perClient, validate({ body: registerBodySchema }), async (req, res) => {
    const result = await auth.register(req.body as RegisterInput);
    res.status(201).json(ok(result, 'User registered'));
  });

  router.post('/login', limiters.perClient, validate({ body: loginBodySchema }), limiters.failedLogins, async (req, res) => {
    res.json(ok(await auth.login(req.body as LoginInput), 'Signed in'));
  });

  router.post(
    '/internal/validate-token',
    requireInternalKey(internalKeys),
    validate({ body: validateTokenBodySchema }),
    async (req, res) => {
      res.json(ok(await auth.authenticate((req.body as { token: string }).token), 'Token is valid'));
    },
  );

  return router;
}
