import { deleteBullKeys, NotificationAppFixture, queueNotification, startTestBed, TestBed, TestUser } from '../app.test-helpers';
import { DeliveryQueue } from '../queue/delivery.queue';
import { RequeueSweeper } from './requeue.sweeper';

/**
 * Two replicas of the service, on one MongoDB database and one Bull prefix, as two pods run. They
 * deliver nothing (API-only processes), so every job a pass adds stays waiting and can be counted,
 * and nothing sweeps on its own: each pass is one the test asks for.
 */
describe('The re-queue sweep with two replicas', () => {
  let bed: TestBed;
  let replicas: NotificationAppFixture[];
  let ann: TestUser;
  /** Every notification stored here: none is ever delivered, so all are queued, all the backlog. */
  const stored: string[] = [];

  const create = (app: NotificationAppFixture, title: string): Promise<string> => queueNotification(app, ann.id, title);
  /** `count` notifications stored with their jobs, then Redis loses the jobs: the backlog a sweep must re-queue. */
  const lostBacklog = async (count: number): Promise<string[]> => {
    const ids = await Promise.all(Array.from({ length: count }, (_, i) => create(replicas[i % 2], `Lost ${i}`)));
    stored.push(...ids);
    expect(await deleteBullKeys(bed.prefix)).toBeGreaterThan(0);
    return ids;
  };
  const queue = () => replicas[0].app.get(DeliveryQueue).queue;
  const sweepers = () => replicas.map((r) => r.app.get(RequeueSweeper));

  beforeAll(async () => {
    bed = await startTestBed('notif_tests_requeue_replicas');
    const env = { WORKER_ENABLED: 'false', REQUEUE_AFTER_MS: '0' };
    replicas = [await bed.start({ env }), await bed.start({ env })];
    ann = await bed.users.register();
  });

  afterAll(async () => {
    await bed?.close();
  });

  it('skips a pass while another replica holds the lease, and runs it once the lease is given back', async () => {
    const ids = await lostBacklog(3);
    const [a, b] = replicas.map((r) => r.app.get(DeliveryQueue));
    const held = await b.takeLease('requeue', 60_000);
    expect(held).not.toBeNull();

    expect(await sweepers()[0].sweep()).toBe(0);
    for (const id of ids) expect(await queue().getJob(id)).toBeNull();

    await b.releaseLease('requeue', held as string);
    expect(await sweepers()[0].sweep()).toBe(3);
    for (const id of ids) expect(await queue().getJob(id)).not.toBeNull();
    // The pass gave its own lease back: the other replica's next pass runs (and finds nothing to do).
    expect(await a.takeLease('requeue', 1000)).not.toBeNull();
  });

  it('re-queues each lost notification once when both replicas sweep at the same time', async () => {
    await lostBacklog(60);
    const passes = await Promise.all(sweepers().map((s) => s.sweep()));
    // One pass did the work; the other found the lease held, or (had it come after) nothing left to do.
    expect([...passes].sort((x, y) => x - y)).toEqual([0, stored.length]);
    const jobs = await queue().getJobs(['waiting']);
    expect(jobs.map((j) => j.id).sort()).toEqual([...stored].sort());
  });
});
