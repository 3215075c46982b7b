import request from 'supertest';
import { countAfterSettling, createTestMongoDatabase, getFreePort, TestMongoDatabase, waitFor } from '@shop/test-kit';
import { bullPrefix, deleteBullKeys, INTERNAL, NotificationAppFixture, startTestBed, TestBed, TestUser } from '../app.test-helpers';
import { NotificationRepository } from '../notifications/notification.repository';
import { DELIVER_JOB, DeliveryQueue } from '../queue/delivery.queue';
import { DeliveryResult } from './delivery.service';
import { TRANSPORT_TOKENS } from './notification-transport';
import { RecordingPushTransport } from './push.transport';
import { RecordingSmsTransport } from './sms.transport';

const MAX_ATTEMPTS = 3;
/** Longer than every retry with its backoff here (50 ms, doubling, 3 attempts): a duplicate would show within it. */
const DUPLICATE_WINDOW_MS = 1_500;

describe('Delivery', () => {
  let bed: TestBed;
  let service: NotificationAppFixture;
  let ann: TestUser;
  let carl: TestUser;

  const create = async (body: Record<string, unknown>): Promise<string> => {
    const res = await request(service.http).post('/api/notifications').set(INTERNAL).send(body).expect(202);
    return res.body.data.notification.id as string;
  };
  const mailsTitled = (title: string) => bed.smtp.messages.filter((m) => m.subject === title);
  /** The notification is written `failed` just before Bull moves its job: this waits for the move. */
  const failedJob = (id: string) =>
    waitFor(
      async () => {
        const { queue } = service.app.get(DeliveryQueue);
        const job = await queue.getJob(id);
        // Read again once failed: the first read may predate the move that also counted the attempt.
        return job && (await job.getState()) === 'failed' ? ((await queue.getJob(id)) ?? undefined) : undefined;
      },
      { what: `the job of ${id} to be moved to failed` },
    );
  const metric = async (pattern: RegExp): Promise<number> => {
    const text = (await request(service.http).get('/metrics').expect(200)).text;
    const match = text.split('\n').find((line) => pattern.test(line));
    return match ? Number(match.split(' ').pop()) : 0;
  };

  beforeAll(async () => {
    bed = await startTestBed('notif_tests_delivery');
    service = await bed.start({ env: { NOTIFY_MAX_ATTEMPTS: String(MAX_ATTEMPTS) } });
    [ann, carl] = await Promise.all([bed.users.register(), bed.users.register({ phone: '+15551234567' })]);
  });

  afterAll(async () => {
    await bed?.close();
  });

  it('emails the user: the SMTP server receives their address, the title as subject and the body', async () => {
    const id = await create({
      userId: ann.id,
      title: 'Your order #1042',
      description: 'It ships tomorrow.\nThanks!',
      notificationType: 'email',
    });

    const sent = await service.waitFor(id, (n) => n.status === 'sent');
    expect(sent.attempts).toBe(1);
    expect(sent.sentAt).toBeInstanceOf(Date);
    expect(sent.lastError).toBeNull();

    expect(await countAfterSettling(() => mailsTitled('Your order #1042').length, { settleMs: DUPLICATE_WINDOW_MS })).toBe(1);
    const [mail] = mailsTitled('Your order #1042');
    expect(mail.to).toEqual([ann.email]);
    expect(mail.from).toBe('no-reply@shop.local');
    expect(mail.text?.trim()).toBe('It ships tomorrow.\nThanks!');
  });

  it('retries a refused email with backoff, ends failed after the last attempt, and sends again once SMTP accepts', async () => {
    const retriedBefore = await metric(/^notification_deliveries_total\{channel="email",outcome="retried"/);
    bed.smtp.setRejecting(true);
    let id: string;
    try {
      const smtpAttemptsBefore = bed.smtp.attempts();
      id = await create({ userId: ann.id, title: 'Refused', description: 'The server says no.', notificationType: 'email' });
      const failed = await service.waitFor(id, (n) => n.status === 'failed', 'the refused email to fail');
      expect(failed.attempts).toBe(MAX_ATTEMPTS);
      expect(failed.lastError).toMatch(/550/);
      expect(failed.sentAt).toBeNull();
      expect(bed.smtp.attempts() - smtpAttemptsBefore).toBe(MAX_ATTEMPTS);
    } finally {
      bed.smtp.setRejecting(false);
    }

    const job = await failedJob(id);
    expect(job.attemptsMade).toBe(MAX_ATTEMPTS);
    expect(job.opts.backoff).toEqual({ type: 'capped-exponential', options: { initialMs: 50, maxMs: 60_000 } });
    expect(await metric(/^notification_deliveries_total\{channel="email",outcome="retried"/)).toBe(retriedBefore + MAX_ATTEMPTS - 1);
    expect(mailsTitled('Refused')).toHaveLength(0);

    const next = await create({ userId: ann.id, title: 'Accepted again', description: 'Back to normal.', notificationType: 'email' });
    expect((await service.waitFor(next, (n) => n.status === 'sent')).attempts).toBe(1);
    expect(mailsTitled('Accepted again')).toHaveLength(1);
  });

  it('fails an SMS to a user without a phone at once, without retrying', async () => {
    const id = await create({ userId: ann.id, title: 'No phone', description: 'Cannot be texted.', notificationType: 'sms' });
    const failed = await service.waitFor(id, (n) => n.status === 'failed');
    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toMatch(/has no phone number/);

    expect((await failedJob(id)).attemptsMade).toBe(1);
  });

  it('texts a user with a phone through the SMS provider (the default one records it)', async () => {
    const id = await create({ userId: carl.id, title: 'Code', description: 'Your code is 123456', notificationType: 'sms' });
    const sent = await service.waitFor(id, (n) => n.status === 'sent');
    expect(sent.attempts).toBe(1);

    const sms = service.app.get<RecordingSmsTransport>(TRANSPORT_TOKENS.sms);
    expect(sms.outbox.all().filter((m) => m.notificationId === id)).toEqual([
      expect.objectContaining({ to: '+15551234567', body: 'Code: Your code is 123456' }),
    ]);
  });

  it('pushes through the push provider (the default one records it)', async () => {
    const id = await create({
      userId: carl.id,
      title: 'Sale',
      description: '20% off today',
      notificationType: 'push',
      metadata: { deepLink: '/sale' },
    });
    await service.waitFor(id, (n) => n.status === 'sent');
    const push = service.app.get<RecordingPushTransport>(TRANSPORT_TOKENS.push);
    expect(push.outbox.all().filter((m) => m.notificationId === id)).toEqual([
      expect.objectContaining({ userId: carl.id, title: 'Sale', body: '20% off today', data: { deepLink: '/sale' } }),
    ]);
  });

  it('fails a notification for an unknown user at once (User service 404), without retrying', async () => {
    const id = await create({
      userId: '0123456789abcdef01234567',
      title: 'Nobody',
      description: 'No such user.',
      notificationType: 'email',
    });
    const failed = await service.waitFor(id, (n) => n.status === 'failed');
    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toMatch(/does not exist/);
    expect(mailsTitled('Nobody')).toHaveLength(0);
  });

  it('sends once when several jobs for one notification run at the same time', async () => {
    const stored = await service.app.get(NotificationRepository).insertUnlessDuplicate({
      userId: ann.id,
      title: 'Only once',
      description: 'Three jobs, one mail.',
      notificationType: 'email',
    });
    const id = stored!._id.toHexString();
    const queue = service.app.get(DeliveryQueue).queue;
    const jobs = await Promise.all([1, 2, 3].map((n) => queue.add(DELIVER_JOB, { notificationId: id }, { jobId: `${id}-duplicate-${n}` })));
    const results = (await Promise.all(jobs.map((job) => job.finished()))) as DeliveryResult[];

    expect(results.map((r) => r.outcome).sort()).toEqual(['sent', 'skipped', 'skipped']);
    expect(await countAfterSettling(() => mailsTitled('Only once').length, { settleMs: DUPLICATE_WINDOW_MS })).toBe(1);
    expect((await service.find(id))?.attempts).toBe(1);

    // A late duplicate of a delivered notification does nothing either.
    const late = await queue.add(DELIVER_JOB, { notificationId: id }, { jobId: `${id}-late` });
    expect(await late.finished()).toEqual({ outcome: 'skipped' });
    expect(await countAfterSettling(() => mailsTitled('Only once').length, { settleMs: DUPLICATE_WINDOW_MS })).toBe(1);
  });

  describe('while the User service is down', () => {
    let outageMongo: TestMongoDatabase;
    let outagePrefix: string;
    let outage: NotificationAppFixture;

    beforeAll(async () => {
      outageMongo = createTestMongoDatabase('notif_tests_outage');
      outagePrefix = bullPrefix();
      outage = await bed.start({
        userServiceUrl: `http://127.0.0.1:${await getFreePort()}`,
        mongo: outageMongo,
        bullPrefix: outagePrefix,
        env: { NOTIFY_MAX_ATTEMPTS: String(MAX_ATTEMPTS) },
      });
    });

    afterAll(async () => {
      await outage?.close();
      await Promise.all([outageMongo?.drop(), outagePrefix ? deleteBullKeys(outagePrefix) : undefined]);
    });

    it('retries the recipient lookup (an outage is not a permanent failure)', async () => {
      const res = await request(outage.http)
        .post('/api/notifications')
        .set(INTERNAL)
        .send({ userId: ann.id, title: 'During outage', description: 'Lookup fails.', notificationType: 'email' })
        .expect(202);
      const failed = await outage.waitFor(res.body.data.notification.id, (n) => n.status === 'failed');
      expect(failed.attempts).toBe(MAX_ATTEMPTS);
      expect(failed.lastError).toMatch(/User service is unavailable/);
    });
  });
});
