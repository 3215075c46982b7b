import { z } from 'zod';
import { pageQuerySchema } from '@shop/express-kit';

/**
 * The user fields as the API accepts and returns them. One definition serves request
 * validation (validate() in the routes), the typed inputs of the services, config checks and
 * the OpenAPI document (openapi.ts), so the three can never drift apart.
 */

export const USER_ROLES = ['customer', 'admin'] as const;
export const roleSchema = z.enum(USER_ROLES).meta({ description: 'What the user may do; `customer` on registration' });
export type UserRole = z.infer<typeof roleSchema>;

/** Trimmed and lower-cased before it is checked, so `Ann@X.com ` and `ann@x.com` are one account. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  // zod's email rule (what `z.email()` checks) as a regex, so the document says that pattern and
  // not `format: email`, which is stricter here and there (a leading apostrophe); the pattern
  // allows the whitespace trimmed before the check.
  .regex(z.regexes.email, 'must be a valid email address')
  .max(254)
  .meta({ example: 'ann.smith@example.com', pattern: `^\\s*(?:${z.regexes.email.source.slice(1, -1)})\\s*$` });

/** bcrypt reads only the first 72 bytes of a password: anything longer would be silently cut. */
export const BCRYPT_MAX_PASSWORD_BYTES = 72;
const fitsBcrypt = (value: string) => Buffer.byteLength(value, 'utf8') <= BCRYPT_MAX_PASSWORD_BYTES;

/** The policy for a password being set (registration, change, the seeded admin). */
export const newPasswordSchema = z
  .string()
  .min(8, 'must be at least 8 characters long')
  .max(BCRYPT_MAX_PASSWORD_BYTES, `must be at most ${BCRYPT_MAX_PASSWORD_BYTES} characters long`)
  .refine(fitsBcrypt, `must be at most ${BCRYPT_MAX_PASSWORD_BYTES} bytes long in UTF-8`)
  .refine((v) => /\p{L}/u.test(v), 'must contain at least one letter')
  .refine((v) => /\p{Nd}/u.test(v), 'must contain at least one digit')
  .meta({
    description: `8 to ${BCRYPT_MAX_PASSWORD_BYTES} characters (at most ${BCRYPT_MAX_PASSWORD_BYTES} bytes in UTF-8) with at least one letter and one digit`,
    // The refinements above in the document's terms (ASCII letters and digits: a JSON Schema pattern has no \p{L}).
    pattern: '^(?=.*[A-Za-z])(?=.*[0-9])',
    example: 'correct-horse-42',
  });

/** A password being checked (login, current password): no policy, so older passwords still work. */
export const givenPasswordSchema = z
  .string()
  .min(1, 'is required')
  .refine(fitsBcrypt, `must be at most ${BCRYPT_MAX_PASSWORD_BYTES} bytes long in UTF-8`);

export const nameSchema = z.string().trim().min(1, 'must not be empty').max(100);

/** E.164, the form SMS providers expect: `+` and up to 15 digits. */
export const phoneSchema = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{6,14}$/, 'must be in international format, e.g. +15551234567')
  .meta({ example: '+15551234567' });

export const objectIdSchema = z
  .string()
  // No /i flag: zod-to-openapi would write it into the pattern, which no validator then matches.
  .regex(/^[0-9a-fA-F]{24}$/, 'must be a user id (24 hexadecimal characters)')
  .meta({ example: '665f1c2b9d3e4a0012345678' });

/** What every response carries for a user. Never the password hash. */
export const userDtoSchema = z
  .object({
    id: objectIdSchema,
    email: z.string().meta({ example: 'ann.smith@example.com' }),
    firstName: z.string(),
    lastName: z.string(),
    phone: z.string().nullable(),
    role: roleSchema,
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'User' });

export const userIdParamsSchema = z.strictObject({ userId: objectIdSchema });

export const updateProfileBodySchema = z
  .strictObject({
    firstName: nameSchema.optional(),
    lastName: nameSchema.optional(),
    phone: phoneSchema.nullable().optional().meta({ description: '`null` removes the phone number' }),
    password: newPasswordSchema.optional(),
    currentPassword: givenPasswordSchema.optional().meta({ description: 'Required to change the password' }),
  })
  .refine((body) => body.password === undefined || body.currentPassword !== undefined, {
    message: 'is required to change the password',
    path: ['currentPassword'],
  })
  .refine((body) => [body.firstName, body.lastName, body.phone, body.password].some((v) => v !== undefined), {
    message: 'must change at least one of firstName, lastName, phone, password',
  })
  .meta({
    id: 'UpdateProfileRequest',
    description: 'Only these fields can be changed; email, role and id cannot (unknown fields are rejected).',
    // The two refinements above, for the document: something to change, and no password without the current one.
    anyOf: ['firstName', 'lastName', 'phone', 'password'].map((field) => ({ required: [field] })),
    // (`properties: {}` inside `not` constrain nothing; they name the fields for linters.)
    not: {
      properties: { password: {} },
      required: ['password'],
      not: { properties: { currentPassword: {} }, required: ['currentPassword'] },
    },
  });
export type UpdateProfileInput = z.infer<typeof updateProfileBodySchema>;

export const listUsersQuerySchema = pageQuerySchema.extend({ role: roleSchema.optional() }).meta({ id: 'ListUsersQuery' });
export type ListUsersQuery = z.infer<typeof listUsersQuerySchema>;
