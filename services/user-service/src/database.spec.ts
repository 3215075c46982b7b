import { Connection } from 'mongoose';
import { storageUnavailable } from '@shop/errors';
import { createSilentLogger } from '@shop/observability';
import { MongoWatchdog } from '@shop/runtime';
import {
  createTestMongoDatabase,
  getFreePort,
  startToxiproxy,
  testMongoBaseUri,
  toxiproxyBinary,
  ToxiproxyServer,
  waitFor,
} from '@shop/test-kit';
import { connectMongo, mongoConnectOptions } from './database';
import { userModel } from './users/user.model';

const USERS = { name: 'user database', engine: 'MongoDB' } as const;

/**
 * The watchdog closes and opens the connection again after MongoDB stayed unreachable; the
 * models bound to it must go on working once MongoDB is back. MongoDB is cut with Toxiproxy.
 */
describe('the MongoDB watchdog', () => {
  const db = createTestMongoDatabase('user_watchdog');
  let toxiproxy: ToxiproxyServer;
  let connection: Connection;
  let watchdog: MongoWatchdog;

  beforeAll(async () => {
    toxiproxy = await startToxiproxy({ binary: toxiproxyBinary() });
    const port = await getFreePort();
    const server = new URL(testMongoBaseUri);
    await toxiproxy.createProxy('mongo', `${server.hostname}:${server.port || 27017}`, port);
    const uri = `mongodb://127.0.0.1:${port}/${db.name}`;
    const options = mongoConnectOptions({ serverSelectionTimeoutMS: 500 });
    connection = await connectMongo(uri, options);
    watchdog = new MongoWatchdog(connection, {
      uri,
      connectOptions: options,
      logger: createSilentLogger(),
      intervalMs: 100,
      pingTimeoutMs: 300,
      reopenAfterMs: 500,
    });
  }, 60_000);

  afterAll(async () => {
    await watchdog?.stop();
    await connection?.close(true);
    await toxiproxy?.close();
    await db.drop();
  });

  it('opens the connection again while MongoDB is away, and its models work once it is back', async () => {
    const users = userModel(connection);
    await users.create({ email: 'watchdog@example.com', passwordHash: 'x'.repeat(60), firstName: 'W', lastName: 'D' });
    let opens = 0;
    connection.on('open', () => (opens += 1));
    watchdog.start();

    await toxiproxy.setEnabled('mongo', false);
    // Reopening fails while the proxy refuses: the watchdog keeps trying.
    await waitFor(() => connection.readyState !== 1, { timeoutMs: 10_000, what: 'the watchdog to close the connection' });
    await toxiproxy.setEnabled('mongo', true);

    await waitFor(() => opens >= 1 && connection.readyState === 1, { timeoutMs: 15_000, what: 'the connection opened again' });
    expect(await users.findOne({ email: 'watchdog@example.com' }).lean()).toMatchObject({ firstName: 'W' });
  }, 60_000);
});

/**
 * The watchdog's close cuts short whatever is in flight: the driver then says so in errors of its
 * own (the client or its pool closed, the implicit session ended, not connected), which are as
 * much an outage as a refused connection and must answer 503, not 500.
 */
describe('operations cut short by closing the connection', () => {
  const db = createTestMongoDatabase('user_close');

  afterAll(() => db.drop());

  it('fail with errors that storageUnavailable maps to 503 DATABASE_UNAVAILABLE', async () => {
    const connection = await connectMongo(db.uri);
    const users = userModel(connection);
    await users.create({ email: 'closing@example.com', passwordHash: 'x'.repeat(60), firstName: 'C', lastName: 'L' });
    // Many reads at once: some are on the wire, others wait for a connection or a session.
    const inFlight = Array.from({ length: 30 }, () =>
      users
        .find({})
        .lean()
        .then(
          () => undefined,
          (err: unknown) => err,
        ),
    );
    await new Promise((resolve) => setImmediate(resolve));
    await connection.close();
    const afterClose = await users.findOne({}).then(
      () => undefined,
      (err: unknown) => err,
    );

    const failures = [...(await Promise.all(inFlight)), afterClose].filter((err): err is Error => err instanceof Error);
    expect(failures.length).toBeGreaterThan(0);
    const unmapped = failures.filter((err) => !storageUnavailable(err, USERS)).map((err) => `${err.name}: ${err.message}`);
    expect([...new Set(unmapped)]).toEqual([]);
  });
});
