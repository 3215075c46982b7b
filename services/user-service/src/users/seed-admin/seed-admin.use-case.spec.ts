import { ann, userWorld } from '../../testing/user-world.test-helpers';

/** Seeding the first admin at start-up, on in-memory ports. */
describe('SeedAdmin', () => {
  it('creates the admin once; a second start finds it', async () => {
    const world = userWorld();

    const first = await world.seedAdmin.execute('admin@example.com', 'admin-passphrase-1');
    const again = await world.seedAdmin.execute('admin@example.com', 'other-passphrase-2');

    expect(first).toMatchObject({ created: true, user: { role: 'admin' } });
    expect(again).toEqual({ created: false, user: first.user });
  });

  it('leaves an existing customer with that email as they are', async () => {
    const world = userWorld();
    await world.register.execute(ann);

    expect(await world.seedAdmin.execute(ann.email, 'admin-passphrase-1')).toMatchObject({ created: false, user: { role: 'customer' } });
  });

  it('takes the admin another instance created between its read and its write', async () => {
    const world = userWorld();
    const findByEmail = world.store.findByEmail.bind(world.store);
    let reads = 0;
    // The first read misses: another instance inserts right after it.
    world.store.findByEmail = async (email) => {
      reads += 1;
      if (reads === 1) {
        await world.store.create({ email, passwordHash: 'theirs', firstName: 'Admin', lastName: 'Admin', phone: null, role: 'admin' });
        return null;
      }
      return findByEmail(email);
    };

    const result = await world.seedAdmin.execute('admin@example.com', 'admin-passphrase-1');

    expect(result).toMatchObject({ created: false, user: { email: 'admin@example.com', role: 'admin' } });
    expect(world.store.users.size).toBe(1);
  });
});
