import { Connection, createConnection } from 'mongoose';
import { NotificationAppFixture, startTestBed, TestBed } from '../app.test-helpers';
import { ClaimPurger } from './claim-purger';
import { CLAIM_BUCKET_MS, claimBucketOf } from './delivery-claim.model';

const LEASE_MS = 60_000;
const RETENTION_MS = 10 * 60_000;

describe('Claim tombstones are purged a bucket at a time once past their retention', () => {
  let bed: TestBed;
  let service: NotificationAppFixture;
  let db: Connection;
  const claims = () => db.collection('notification_claims');
  const claimAt = (notificationId: string, at: Date) => ({
    _id: `${notificationId}:1`,
    notificationId,
    generation: 1,
    token: notificationId,
    expiresAt: new Date(at.getTime() + LEASE_MS),
    bucket: claimBucketOf(at),
  });

  beforeAll(async () => {
    bed = await startTestBed('notif_tests_claim_purge');
    db = await createConnection(bed.mongo.uri).asPromise();
    const now = Date.now();
    // Left by earlier runs: two an hour old, one past its retention by a minute, one still kept.
    await claims().insertMany([
      claimAt('old-1', new Date(now - 60 * 60_000)),
      claimAt('old-2', new Date(now - 60 * 60_000 + CLAIM_BUCKET_MS)),
      claimAt('just-past', new Date(now - LEASE_MS - RETENTION_MS - 2 * CLAIM_BUCKET_MS)),
      claimAt('kept', new Date(now - LEASE_MS - RETENTION_MS + 2 * CLAIM_BUCKET_MS)),
    ] as never[]);
    service = await bed.start({ env: { NOTIFY_CLAIM_LEASE_MS: String(LEASE_MS), NOTIFY_CLAIM_RETENTION_MS: String(RETENTION_MS) } });
  });

  afterAll(async () => {
    await db?.close();
    await bed?.close();
  });

  it('deletes only the claims older than their lease plus the retention, and each bucket once', async () => {
    const purger = service.app.get(ClaimPurger);
    // The pass at start may already have run; this one joins or follows it.
    await purger.purge();
    const left = await claims().find().toArray();
    expect(left.map((c) => c.notificationId)).toEqual(['kept']);
    // Nothing new has passed its retention since: the next pass deletes nothing.
    expect(await purger.purge()).toBe(0);
  });
});

/**
 * Two replicas purge without a lease: a bucket is one indexed delete, and a claim deleted by one
 * is not there for the other to delete, so purging twice over costs a query, never a claim twice.
 */
describe('Claim purging with two replicas', () => {
  let bed: TestBed;
  let replicas: NotificationAppFixture[];
  let db: Connection;
  const claims = () => db.collection('notification_claims');

  beforeAll(async () => {
    bed = await startTestBed('notif_tests_claim_purge_replicas');
    db = await createConnection(bed.mongo.uri).asPromise();
    // Workers off: no pass at start, each pass is one the test asks for.
    const env = { WORKER_ENABLED: 'false', NOTIFY_CLAIM_LEASE_MS: String(LEASE_MS), NOTIFY_CLAIM_RETENTION_MS: String(RETENTION_MS) };
    replicas = [await bed.start({ env }), await bed.start({ env })];
  });

  afterAll(async () => {
    await db?.close();
    await bed?.close();
  });

  it('deletes each claim past its retention once between them, bucket by bucket', async () => {
    const start = Date.now() - 80 * 60_000;
    // 300 claims over 60 buckets (an hour), every one past its lease and retention (11 min).
    const old = Array.from({ length: 300 }, (_, i) => {
      const at = new Date(start + Math.floor(i / 5) * CLAIM_BUCKET_MS);
      return {
        _id: `old-${i}:1`,
        notificationId: `old-${i}`,
        generation: 1,
        token: `t-${i}`,
        expiresAt: new Date(at.getTime() + LEASE_MS),
        bucket: claimBucketOf(at),
      };
    });
    await claims().insertMany(old as never[]);

    const passes = await Promise.all(replicas.map((r) => r.app.get(ClaimPurger).purge()));
    expect(passes[0] + passes[1]).toBe(old.length);
    expect(await claims().countDocuments()).toBe(0);
  });
});
