import { createUseCases } from '../app';
import { registerUser, STRONG_PASSWORD, TestApp, useTestApp } from '../app.test-helpers';

const ROUNDS = 6;
const RACERS = 24;

/**
 * FerretDB applies an update as a read-modify-write of the whole document without a lock
 * (docs/conventions.md), so a profile update racing a password change could write back the old
 * hash and token version: the old password working again, a stolen token valid again. Many
 * profile updates race each password change here, on the real server.
 */
describe('a password change raced by profile updates', () => {
  const app = useTestApp();

  async function race(app: TestApp, round: number) {
    const user = await registerUser(app);
    const oldAuth = { Authorization: `Bearer ${user.token}` };
    const newPassword = `new-password-${round}-42`;
    let changed = false;
    // Straight on the service (no HTTP in between), so the racers' writes land as close together as they can.
    const { users } = createUseCases(app.config, app.connection);
    const racer = async (n: number) => {
      // Until the change has answered, and once more after: an update that read the document
      // before the change may write it after.
      let after = 0;
      for (let i = 0; after < 2; i += 1) {
        if (changed) after += 1;
        await users.updateProfile.execute(user.id, { firstName: `Racer${n}x${i}` });
      }
    };
    const change = users.updateProfile.execute(user.id, { password: newPassword, currentPassword: STRONG_PASSWORD }).then((result) => {
      changed = true;
      return result;
    });
    const [changeResult] = await Promise.all([change, ...Array.from({ length: RACERS }, (_, n) => racer(n))] as const);
    return { user, oldAuth, newPassword, newToken: changeResult.token! };
  }

  it('keeps the new password and refuses every token issued before it, whatever races it', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const { user, oldAuth, newPassword, newToken } = await race(app, round);
      const withNew = await app.http.post('/api/users/login').send({ email: user.email, password: newPassword });
      expect([round, withNew.status]).toEqual([round, 200]);
      const withOld = await app.http.post('/api/users/login').send({ email: user.email, password: STRONG_PASSWORD });
      expect([round, withOld.status]).toEqual([round, 401]);
      const oldToken = await app.http.get('/api/users/profile').set(oldAuth);
      expect([round, oldToken.status]).toEqual([round, 401]);
      const fresh = await app.http.get('/api/users/profile').set({ Authorization: `Bearer ${newToken}` });
      expect([round, fresh.status]).toEqual([round, 200]);
    }
  });

  it('lets exactly one of two password changes from the same current password through', async () => {
    const user = await registerUser(app);
    const auth = { Authorization: `Bearer ${user.token}` };
    const attempts = await Promise.all(
      ['first-new-password-42', 'second-new-password-42'].map((password) =>
        app.http.put('/api/users/profile').set(auth).send({ password, currentPassword: STRONG_PASSWORD }),
      ),
    );
    const statuses = attempts.map((r) => r.status).sort();
    // The loser lost the write (409), read the user after the winner's change, so the password it
    // named is no longer the current one (403), or came after the winner had revoked the token (401).
    expect(statuses[0]).toBe(200);
    expect([401, 403, 409]).toContain(statuses[1]);
    const loser = attempts.find((r) => r.status !== 200)!;
    if (loser.status === 403) expect(loser.body.code).toBe('INVALID_CURRENT_PASSWORD');
    const logins = await Promise.all(
      ['first-new-password-42', 'second-new-password-42'].map(
        async (password) => (await app.http.post('/api/users/login').send({ email: user.email, password })).status,
      ),
    );
    expect(logins.sort()).toEqual([200, 401]);
  });
});
