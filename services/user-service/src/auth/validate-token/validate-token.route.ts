import { Router } from 'express';
import { ok } from '@shop/contracts';
import { requireInternalKey, validate } from '@shop/express-kit';
import { ValidateTokenInput, validateTokenBodySchema } from '../auth.schemas';
import type { ValidateToken } from './validate-token.use-case';

/** POST /api/users/internal/validate-token (another service, with its internal key) */
export function validateTokenRoute(router: Router, validateToken: ValidateToken, internalKeys: readonly string[]): void {
  router.post(
    '/internal/validate-token',
    requireInternalKey(internalKeys),
    validate({ body: validateTokenBodySchema }),
    async (req, res) => {
      res.json(ok(await validateToken.execute((req.body as ValidateTokenInput).token), 'Token is valid'));
    },
  );
}
