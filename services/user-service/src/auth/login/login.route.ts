import { RequestHandler, Router } from 'express';
import { ok } from '@shop/contracts';
import { validate } from '@shop/express-kit';
import { LoginInput, loginBodySchema } from '../auth.schemas';
import type { Login } from './login.use-case';

/** POST /api/users/login; `perClient` limits one client address, `failedLogins` one (email, address) pair's failures. */
export function loginRoute(router: Router, login: Login, perClient: RequestHandler, failedLogins: RequestHandler): void {
  router.post('/login', perClient, validate({ body: loginBodySchema }), failedLogins, async (req, res) => {
    res.json(ok(await login.execute(req.body as LoginInput), 'Signed in'));
  });
}
