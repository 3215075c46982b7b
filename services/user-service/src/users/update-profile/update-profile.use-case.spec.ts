import { ann, userWorld } from '../../testing/user-world.test-helpers';

/** Changing one's profile, on in-memory ports. */
describe('UpdateProfile', () => {
  it('changes names and phone, and keeps the password and tokens', async () => {
    const world = userWorld();
    const { user } = await world.register.execute(ann);

    const result = await world.updateProfile.execute(user.id, { lastName: 'Jones', phone: '+15551234567' });

    expect(result).toEqual({ user: expect.objectContaining({ lastName: 'Jones', phone: '+15551234567' }) });
    expect(world.store.users.get(user.id)?.tokenVersion).toBe(0);
  });

  it('refuses a wrong current password with 403 before writing anything', async () => {
    const world = userWorld();
    const { user } = await world.register.execute(ann);

    await expect(
      world.updateProfile.execute(user.id, { lastName: 'Jones', password: 'new-password-7', currentPassword: 'wrong-1' }),
    ).rejects.toMatchObject({ status: 403, code: 'INVALID_CURRENT_PASSWORD' });
    expect(world.store.users.get(user.id)).toMatchObject({ lastName: 'Smith', passwordHash: `hashed:${ann.password}` });
  });

  it('lets one of two changes from the same password win; the other is 409 PASSWORD_CHANGED_CONCURRENTLY', async () => {
    const world = userWorld();
    const { user } = await world.register.execute(ann);

    const outcomes = await Promise.allSettled([
      world.updateProfile.execute(user.id, { password: 'first-password-1', currentPassword: ann.password }),
      world.updateProfile.execute(user.id, { password: 'second-password-2', currentPassword: ann.password }),
    ]);

    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(outcomes.find((o) => o.status === 'rejected')).toMatchObject({ reason: { status: 409, code: 'PASSWORD_CHANGED_CONCURRENTLY' } });
  });

  it('is 404 USER_NOT_FOUND for a user that is gone', async () => {
    await expect(userWorld().updateProfile.execute('665f1c2b9d3e4a0012345678', { lastName: 'X' })).rejects.toMatchObject({
      status: 404,
      code: 'USER_NOT_FOUND',
    });
  });
});
