import { ConflictError, UnauthorizedError } from '@shop/errors';

/** The refusals of the auth area, shared by its use cases (token.service.ts refuses malformed and expired tokens itself). */

export const userAlreadyExists = () => new ConflictError('A user with this email already exists', { code: 'USER_ALREADY_EXISTS' });

/** One answer for an unknown email and a wrong password. */
export const invalidCredentials = () => new UnauthorizedError('The email or password is incorrect', { code: 'INVALID_CREDENTIALS' });

export const tokenNoLongerValid = () => new UnauthorizedError('The token is no longer valid', { code: 'INVALID_TOKEN' });
