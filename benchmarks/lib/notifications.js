'use strict';
// The Notification service's own record of the confirmations (MongoDB, FerretDB here): which of
// a step's notifications did not end `sent`. Asked once per step, after its emails are in (or
// the wait gave up), on the { status, createdAt } index the re-queue sweeper uses, so it reads
// only the few documents that are not `sent`; the progress itself is read from the mail catcher
// (lib/mail.js), which costs the stack nothing.
const { MongoClient } = require('mongodb');

const DEFAULT_URI = 'mongodb://127.0.0.1:27017/notification_service';

class NotificationStore {
  constructor(uri = process.env.NOTIFICATION_MONGODB_URI ?? DEFAULT_URI) {
    const host = new URL(uri.replace(/^mongodb(\+srv)?:/, 'http:')).hostname;
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(host)) throw new Error(`benchmarks only read this machine's MongoDB, not ${host}`);
    this.client = new MongoClient(uri, { maxPoolSize: 1, serverSelectionTimeoutMS: 5000 });
  }

  async connect() {
    await this.client.connect();
    this.notifications = this.client.db().collection('notifications');
  }

  /**
   * The order confirmations created since `since` that are `failed` or still `queued`, among
   * `orderIds` (a Set): { failed, queued, failedErrors } (a few of the failures' last errors).
   */
  async notSent(since, orderIds) {
    const out = { failed: 0, queued: 0, failedErrors: [] };
    for (const status of ['failed', 'queued']) {
      const docs = await this.notifications
        .find({ status, createdAt: { $gte: since } }, { projection: { metadata: 1, lastError: 1 } })
        .toArray();
      for (const doc of docs) {
        if (!orderIds.has(doc.metadata?.orderId)) continue;
        out[status]++;
        if (status === 'failed' && out.failedErrors.length < 3) out.failedErrors.push(doc.lastError);
      }
    }
    return out;
  }

  async close() {
    await this.client.close().catch(() => {});
  }
}

module.exports = { NotificationStore };
