import Redis from 'ioredis';
import request from 'supertest';
import { testRedis, waitFor } from '@shop/test-kit';
import { INTERNAL, NotificationAppFixture, startTestBed, TestBed, TestUser } from '../app.test-helpers';
import { RequeueSweeper } from './requeue.sweeper';

/**
 * What a re-queue sweep asks Redis per queued notification, counted with MONITOR (every command
 * Redis runs, those inside Bull's scripts included) on this test's Bull prefix: the same at any
 * backlog, and never a read of a whole list.
 */
describe('The re-queue sweep costs the same per notification at any backlog', () => {
  let bed: TestBed;
  let api: NotificationAppFixture;
  let ann: TestUser;
  let monitor: Redis;
  const seen: string[][] = [];

  const createMany = async (count: number, title: string) => {
    const notifications = Array.from({ length: count }, (_, i) => ({
      userId: ann.id,
      title,
      description: `Backlog ${i}`,
      notificationType: 'email',
      dedupeKey: `${title}:${i}`,
    }));
    for (let i = 0; i < notifications.length; i += 100) {
      await request(api.http)
        .post('/api/notifications/batch')
        .set(INTERNAL)
        .send({ notifications: notifications.slice(i, i + 100) })
        .expect(200);
    }
  };

  /** The Redis commands on this test's keys while `sweep` runs. */
  const commandsDuring = async (sweep: () => Promise<number>): Promise<{ requeued: number; commands: string[][] }> => {
    const marker = `${bed.prefix}:marker:${Date.now()}`;
    const from = seen.length;
    const requeued = await sweep();
    // MONITOR output lags the commands: a marker written after the sweep shows when all of it has arrived.
    const client = new Redis({ host: testRedis.host, port: testRedis.port });
    await client.set(marker, '1', 'EX', 60);
    client.disconnect();
    await waitFor(() => seen.slice(from).some((args) => args.includes(marker)), { what: 'the monitor to catch up' });
    const to = seen.findIndex((args, i) => i >= from && args.includes(marker));
    // The pass's lease (taken and given back once a pass, whatever the backlog) is not the cost per notification.
    const perPass = (args: string[]) => args.some((a) => a.includes(':lease:requeue'));
    return { requeued, commands: seen.slice(from, to).filter((args) => !perPass(args)) };
  };

  beforeAll(async () => {
    bed = await startTestBed('notif_tests_requeue_cost');
    // API only: the jobs stay waiting, as a backlog does while the workers are behind.
    api = await bed.start({ env: { WORKER_ENABLED: 'false' } });
    ann = await bed.users.register();
    monitor = new Redis({ host: testRedis.host, port: testRedis.port });
    const feed = await monitor.monitor();
    feed.on('monitor', (_time: string, args: string[]) => {
      if (args.some((a) => typeof a === 'string' && a.includes(bed.prefix))) seen.push(args.map(String));
    });
  });

  afterAll(async () => {
    monitor?.disconnect();
    await bed?.close();
  });

  it('reads each queued notification’s job once, whether 20 or 200 are waiting', async () => {
    const sweeper = api.app.get(RequeueSweeper);
    await createMany(20, 'Small backlog');
    const small = await commandsDuring(() => sweeper.sweep());
    await createMany(180, 'Large backlog');
    const large = await commandsDuring(() => sweeper.sweep());

    // Every job is live (waiting): nothing is re-queued, and each costs one read of its hash.
    expect([small.requeued, large.requeued]).toEqual([0, 0]);
    const perNotification = (run: { commands: string[][] }, backlog: number) => run.commands.length / backlog;
    process.stdout.write(
      `Redis commands per queued notification in a sweep: ${perNotification(small, 20)} at 20, ${perNotification(large, 200)} at 200\n`,
    );
    expect(perNotification(large, 200)).toBe(perNotification(small, 20));
    expect(perNotification(large, 200)).toBe(1);
    const listReads = large.commands.filter(([name]) => ['lrange', 'lpos', 'llen'].includes(name.toLowerCase()));
    expect(listReads).toEqual([]);
  });
});
