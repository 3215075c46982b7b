import { getConnectionToken } from '@nestjs/mongoose';
import { Connection, createConnection } from 'mongoose';
import request from 'supertest';
import { countAfterSettling, waitFor } from '@shop/test-kit';
import { INTERNAL, NotificationAppFixture, startTestBed, TestBed } from '../app.test-helpers';

const EMAILS = 40;

/**
 * What one delivered email costs in MongoDB commands, counted with the driver's command
 * monitoring on the service's own connection (its reads of the notifications below go through a
 * connection of the test's). The Order service's relay sends confirmations in batches with the
 * recipient's address, so this sends them that way.
 */
describe('MongoDB commands per delivered email', () => {
  let bed: TestBed;
  let service: NotificationAppFixture;
  let reader: Connection;
  const commands: Array<{ name: string; collection: unknown }> = [];

  const batch = (title: string, count: number) =>
    Array.from({ length: count }, (_, i) => ({
      // Nobody the User service knows: were the recipient looked up, the email would fail for good.
      userId: `not-a-user-${i}`,
      title,
      description: `Email ${i}`,
      notificationType: 'email',
      dedupeKey: `${title}:${i}`,
      recipient: { email: `buyer${i}@shop.test`, name: `Buyer ${i}` },
    }));
  const sentCount = (title: string) => reader.collection('notifications').countDocuments({ title, status: 'sent' });

  beforeAll(async () => {
    bed = await startTestBed('notif_tests_commands');
    service = await bed.start({ mongo: { ...bed.mongo, uri: `${bed.mongo.uri}?monitorCommands=true` } });
    reader = await createConnection(bed.mongo.uri).asPromise();
    service.app
      .get<Connection>(getConnectionToken())
      .getClient()
      .on('commandStarted', (event) => commands.push({ name: event.commandName, collection: event.command[event.commandName] }));
  });

  afterAll(async () => {
    await reader?.close();
    await bed?.close();
  });

  it('takes at most two commands per email: the claim, and a share of one bulk write of `sent`', async () => {
    // Warm-up: the first delivery creates the claims collection and its indexes.
    await request(service.http)
      .post('/api/notifications/batch')
      .set(INTERNAL)
      .send({ notifications: batch('Warm-up', 1) })
      .expect(200);
    await waitFor(async () => (await sentCount('Warm-up')) === 1, { what: 'the warm-up email' });

    const before = commands.length;
    const res = await request(service.http)
      .post('/api/notifications/batch')
      .set(INTERNAL)
      .send({ notifications: batch('Counted', EMAILS) })
      .expect(200);
    expect(res.body.data.results.map((r: { status: string }) => r.status)).toEqual(Array(EMAILS).fill('created'));
    await waitFor(async () => (await sentCount('Counted')) === EMAILS, { timeoutMs: 30_000, what: 'every email sent' });
    const mails = await countAfterSettling(() => bed.smtp.messages.filter((m) => m.subject === 'Counted').length, { settleMs: 1_000 });
    expect(mails).toBe(EMAILS);

    // Storing the batch is one insert; everything else is the delivery (which starts before the answer).
    const counted = commands.slice(before);
    const storing = counted.filter((c) => c.name === 'insert' && c.collection === 'notifications').length;
    expect(storing).toBe(1);
    const delivering = counted.filter((c) => !(c.name === 'insert' && c.collection === 'notifications'));
    const perEmail = delivering.length / EMAILS;
    const byKind = delivering.reduce<Record<string, number>>((counts, c) => {
      const kind = `${c.name} ${String(c.collection)}`;
      counts[kind] = (counts[kind] ?? 0) + 1;
      return counts;
    }, {});
    // The figure BENCHMARKS.md quotes.
    process.stdout.write(`MongoDB commands per delivered email: ${perEmail.toFixed(2)} (${JSON.stringify(byKind)})\n`);
    expect(byKind['insert notification_claims']).toBe(EMAILS);
    expect(perEmail).toBeLessThanOrEqual(2);
  });
});
