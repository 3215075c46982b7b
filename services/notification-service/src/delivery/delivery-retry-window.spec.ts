import request from 'supertest';
import { countAfterSettling, waitFor } from '@shop/test-kit';
import { INTERNAL, NotificationAppFixture, queueNotification, startTestBed, TestBed, TestUser } from '../app.test-helpers';

/** Short enough for a test; the default is a day. */
const RETRY_WINDOW_MS = 8_000;
/** Longer than the capped backoff (200 ms): a second email would show within it. */
const DUPLICATE_WINDOW_MS = 1_000;

/**
 * An email is retried for as long as the retry window lasts, however many attempts that takes,
 * and then ends `failed` until an operator hands it back. No attempt cap is set here, as by default.
 */
describe('Delivery retries for the whole retry window', () => {
  let bed: TestBed;
  let service: NotificationAppFixture;
  let ann: TestUser;

  const create = (title: string): Promise<string> => queueNotification(service, ann.id, title, { description: 'Retried.' });
  const mails = (title: string) => bed.smtp.messages.filter((m) => m.subject === title).length;
  const failedMetric = async (): Promise<number> => {
    const text = (await request(service.http).get('/metrics').expect(200)).text;
    const line = text.split('\n').find((l) => l.startsWith('notification_deliveries_total{channel="email",outcome="failed"'));
    return line ? Number(line.split(' ').pop()) : 0;
  };

  beforeAll(async () => {
    bed = await startTestBed('notif_tests_retry_window');
    service = await bed.start({
      // An empty value is no value: no attempt cap.
      env: {
        NOTIFY_MAX_ATTEMPTS: '',
        NOTIFY_BACKOFF_MS: '50',
        NOTIFY_BACKOFF_MAX_MS: '200',
        NOTIFY_RETRY_WINDOW_MS: String(RETRY_WINDOW_MS),
      },
    });
    ann = await bed.users.register();
  });

  afterAll(async () => {
    bed?.smtp.setRejecting(false);
    await bed?.close();
  });

  it('keeps retrying past any attempt count while SMTP refuses, and sends once when it accepts again', async () => {
    bed.smtp.setRejecting(true);
    const attemptsBefore = bed.smtp.attempts();
    const id = await create('Outage');
    // More attempts than the old fixed five.
    await waitFor(() => bed.smtp.attempts() - attemptsBefore >= 8, { what: 'eight refused attempts' });
    bed.smtp.setRejecting(false);

    const sent = await service.waitFor(id, (n) => n.status === 'sent');
    expect(sent.attempts).toBeGreaterThanOrEqual(9);
    expect(await countAfterSettling(() => mails('Outage'), { settleMs: DUPLICATE_WINDOW_MS })).toBe(1);
  });

  it('ends failed once the window is over, and an operator retry delivers it', async () => {
    const failedBefore = await failedMetric();
    bed.smtp.setRejecting(true);
    const id = await create('Too long');
    const failed = await service.waitFor(id, (n) => n.status === 'failed', 'the notification to fail when the window ends');
    expect(failed.lastError).toMatch(/550/);
    expect(await failedMetric()).toBe(failedBefore + 1);
    bed.smtp.setRejecting(false);

    // Only a failed notification can be handed back.
    await request(service.http).post(`/api/notifications/${id}/retry`).expect(401);
    const res = await request(service.http).post(`/api/notifications/${id}/retry`).set(INTERNAL).expect(202);
    expect(res.body.data.notification.status).toBe('queued');
    await service.waitFor(id, (n) => n.status === 'sent', 'the retried notification to be sent');
    expect(await countAfterSettling(() => mails('Too long'), { settleMs: DUPLICATE_WINDOW_MS })).toBe(1);

    const again = await request(service.http).post(`/api/notifications/${id}/retry`).set(INTERNAL).expect(409);
    expect(again.body.code).toBe('NOTIFICATION_NOT_FAILED');
    await request(service.http).post('/api/notifications/0123456789abcdef01234567/retry').set(INTERNAL).expect(404);
  }, 30_000);
});
