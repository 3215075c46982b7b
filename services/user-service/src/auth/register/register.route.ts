import { RequestHandler, Router } from 'express';
import { ok } from '@shop/contracts';
import { validate } from '@shop/express-kit';
import { RegisterInput, registerBodySchema } from '../auth.schemas';
import type { Register } from './register.use-case';

/** POST /api/users/register; `perClient` limits the requests of one client address. */
export function registerRoute(router: Router, register: Register, perClient: RequestHandler): void {
  router.post('/register', perClient, validate({ body: registerBodySchema }), async (req, res) => {
    res.status(201).json(ok(await register.execute(req.body as RegisterInput), 'User registered'));
  });
}
