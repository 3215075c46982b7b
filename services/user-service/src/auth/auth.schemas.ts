import { z } from 'zod';
import { emailSchema, givenPasswordSchema, nameSchema, newPasswordSchema, phoneSchema, userDtoSchema } from '../users/user.schemas';

/** Strict objects: `role`, `$gt` or any other unknown key is a 400, never silently stored or queried. */
export const registerBodySchema = z
  .strictObject({
    firstName: nameSchema.meta({ example: 'Ann' }),
    lastName: nameSchema.meta({ example: 'Smith' }),
    email: emailSchema,
    password: newPasswordSchema,
    phone: phoneSchema.optional(),
  })
  .meta({ id: 'RegisterRequest' });
export type RegisterInput = z.infer<typeof registerBodySchema>;

export const loginBodySchema = z
  .strictObject({
    email: emailSchema,
    password: givenPasswordSchema.meta({ example: 'correct-horse-42' }),
  })
  .meta({ id: 'LoginRequest' });
export type LoginInput = z.infer<typeof loginBodySchema>;

/**
 * Any string: one that cannot be a token (empty, oversized, odd characters) is refused by the
 * token check with 401 INVALID_TOKEN like a forged one, never as a 400 about this field that a
 * calling service would pass on to its own caller.
 */
export const validateTokenBodySchema = z
  .strictObject({ token: z.string().meta({ description: 'The bearer token to check; one that cannot be a token is a 401' }) })
  .meta({ id: 'ValidateTokenRequest' });
export type ValidateTokenInput = z.infer<typeof validateTokenBodySchema>;

const expiresAtSchema = z.iso.datetime().meta({ description: 'When the token stops being valid' });

export const authResultSchema = z
  .object({
    user: userDtoSchema,
    token: z.string().meta({ description: 'A JWT (HS256) to send as `Authorization: Bearer <token>`' }),
    expiresAt: expiresAtSchema,
  })
  .meta({ id: 'AuthResult' });

/** The TokenValidation contract of @shop/contracts. */
export const tokenValidationSchema = z.object({ user: userDtoSchema, expiresAt: expiresAtSchema }).meta({ id: 'TokenValidation' });
