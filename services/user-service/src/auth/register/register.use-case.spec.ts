import { ann, userWorld } from '../../testing/user-world.test-helpers';

/** Registering, on in-memory ports. */
describe('Register', () => {
  it('creates a customer with the password hashed, signed in', async () => {
    const world = userWorld();

    const result = await world.register.execute(ann);

    expect(result.user).toMatchObject({ email: ann.email, role: 'customer', phone: null });
    expect(world.store.users.get(result.user.id)?.passwordHash).toBe(`hashed:${ann.password}`);
    expect(await world.validateToken.execute(result.token)).toMatchObject({ user: { id: result.user.id } });
  });

  it('refuses an email that is taken with 409 USER_ALREADY_EXISTS', async () => {
    const world = userWorld();
    await world.register.execute(ann);

    await expect(world.register.execute({ ...ann, firstName: 'Other' })).rejects.toMatchObject({
      status: 409,
      code: 'USER_ALREADY_EXISTS',
    });
  });
});
