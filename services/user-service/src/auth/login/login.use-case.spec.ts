import { ann, userWorld } from '../../testing/user-world.test-helpers';

/** Signing in, and the token check behind every other service's calls, on in-memory ports. */
describe('Login and ValidateToken', () => {
  it('signs in with the right password', async () => {
    const world = userWorld();
    await world.register.execute(ann);

    const result = await world.login.execute({ email: ann.email, password: ann.password });

    expect(result.user.email).toBe(ann.email);
  });

  it('answers an unknown email and a wrong password alike, 401 INVALID_CREDENTIALS', async () => {
    const world = userWorld();
    await world.register.execute(ann);

    for (const attempt of [
      { email: 'nobody@example.com', password: ann.password },
      { email: ann.email, password: 'wrong-1' },
    ]) {
      await expect(world.login.execute(attempt)).rejects.toMatchObject({ status: 401, code: 'INVALID_CREDENTIALS' });
    }
  });

  it('refuses a token issued before a password change (401 INVALID_TOKEN)', async () => {
    const world = userWorld();
    const { user, token } = await world.register.execute(ann);

    const changed = await world.updateProfile.execute(user.id, { password: 'new-password-7', currentPassword: ann.password });

    await expect(world.validateToken.execute(token)).rejects.toMatchObject({ status: 401, code: 'INVALID_TOKEN' });
    expect(await world.validateToken.execute(changed.token as string)).toMatchObject({ user: { id: user.id } });
  });
});
