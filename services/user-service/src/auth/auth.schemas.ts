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

/** JWTs of this service are a few hundred bytes; the cap keeps garbage cheap to refuse. */
export const validateTokenBodySchema = z
  .strictObject({ token: z.string().min(1, 'is required').max(4096) })
  .meta({ id: 'ValidateTokenRequest' });

const expiresAtSchema = z.iso.datetime().meta({ description: 'When the token stops being valid' });

export const authResultSchema = z
  .object({
    user: userDtoSchema,
    token: z.string().meta({ description: 'A JWT (HS256) to send as `Authorization: Bearer <token>`' }),
    expiresAt: expiresAtSchema,
  })
  .meta({ id: 'AuthResult' });

/** The TokenValidation contract of @shop/service-client. */
export const tokenValidationSchema = z.object({ user: userDtoSchema, expiresAt: expiresAtSchema }).meta({ id: 'TokenValidation' });
