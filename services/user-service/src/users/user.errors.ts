import { ConflictError, ForbiddenError, NotFoundError } from '@shop/errors';

/** The refusals of the users area, shared by its use cases. */

export const userNotFound = () => new NotFoundError('User not found', { code: 'USER_NOT_FOUND' });

export const invalidCurrentPassword = () => new ForbiddenError('The current password is incorrect', { code: 'INVALID_CURRENT_PASSWORD' });

export const passwordChangedConcurrently = () =>
  new ConflictError('The password was changed by another request at the same time; sign in again', {
    code: 'PASSWORD_CHANGED_CONCURRENTLY',
  });
