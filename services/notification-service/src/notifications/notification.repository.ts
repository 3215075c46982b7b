import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, QueryFilter, Types } from 'mongoose';
import { CreateNotificationInput, NotificationStatus, NotificationType, pageOffset, PageRequest } from '@shop/contracts';
import { Notification, NotificationRecord } from './notification.model';
import { isMongoDuplicateKey } from '@shop/errors';

/** What is stored for a new notification: the contract's fields as the API accepted them. */
export type NewNotification = CreateNotificationInput;

export interface NotificationFilter {
  userId?: string;
  notificationType?: NotificationType;
  status?: NotificationStatus;
}

/** One page of rows and how many match in all. */
export interface Rows<T> {
  items: T[];
  total: number;
}

/** Data access for notifications. No rules here: the service and the processor decide. */
@Injectable()
export class NotificationRepository implements OnModuleInit {
  constructor(@InjectModel(Notification.name) private readonly model: Model<Notification>) {}

  /** The unique dedupeKey index must exist before the first insert, or concurrent repeats could both land. */
  async onModuleInit(): Promise<void> {
    await this.model.init();
  }

  /** Inserts a queued notification; `undefined` when its dedupeKey is already taken. */
  async insertUnlessDuplicate(fields: NewNotification): Promise<NotificationRecord | undefined> {
    try {
      const created = await this.model.create({ ...fields, status: 'queued', attempts: 0 });
      return created.toObject() as NotificationRecord;
    } catch (err) {
      if (fields.dedupeKey !== undefined && isMongoDuplicateKey(err)) return undefined;
      throw err;
    }
  }

  /**
   * Inserts many queued notifications at once (one round trip, unordered: a duplicate does not
   * stop the rest). One entry per input, in order: the record, or `undefined` where the
   * dedupeKey is already taken.
   */
  async insertManyUnlessDuplicate(fields: readonly NewNotification[]): Promise<Array<NotificationRecord | undefined>> {
    const docs = fields.map((f) => new this.model({ ...f, status: 'queued', attempts: 0 }));
    let duplicates = new Set<number>();
    try {
      // Without throwOnValidationError an unordered insertMany leaves invalid documents out silently.
      await this.model.insertMany(docs, { ordered: false, throwOnValidationError: true });
    } catch (err) {
      duplicates = duplicateIndexes(err, docs.length);
    }
    return docs.map((doc, i) => (duplicates.has(i) ? undefined : (doc.toObject() as NotificationRecord)));
  }

  /**
   * The notifications holding these dedupeKeys, by key. One equality lookup per key rather than
   * one `$in`: FerretDB serves equality from an index but reads the whole collection for `$in`,
   * and this runs when the Order service's relay re-sends a batch, in the middle of a backlog.
   */
  async findByDedupeKeys(dedupeKeys: readonly string[]): Promise<Map<string, NotificationRecord>> {
    const found = await Promise.all([...new Set(dedupeKeys)].map((dedupeKey) => this.findByDedupeKey(dedupeKey)));
    return new Map(found.flatMap((n) => (n ? [[n.dedupeKey as string, n] as const] : [])));
  }

  findById(id: string): Promise<NotificationRecord | null> {
    return this.model.findById(id).lean<NotificationRecord>().exec();
  }

  findByDedupeKey(dedupeKey: string): Promise<NotificationRecord | null> {
    return this.model.findOne({ dedupeKey }).lean<NotificationRecord>().exec();
  }

  /** Newest first. */
  async list(filter: NotificationFilter, page: PageRequest): Promise<Rows<NotificationRecord>> {
    const query: QueryFilter<Notification> = {};
    if (filter.userId !== undefined) query.userId = filter.userId;
    if (filter.notificationType !== undefined) query.notificationType = filter.notificationType;
    if (filter.status !== undefined) query.status = filter.status;
    const [items, total] = await Promise.all([
      this.model.find(query).sort({ createdAt: -1, _id: -1 }).skip(pageOffset(page)).limit(page.limit).lean<NotificationRecord[]>().exec(),
      this.model.countDocuments(query).exec(),
    ]);
    return { items, total };
  }

  /**
   * Delivered attempts, all in one bulk write. Only claim holders call this. Safe to repeat (a
   * write retried after a lost answer): a notification already sent is left as it is.
   */
  async markManySent(entries: ReadonlyArray<{ id: string; at: Date }>): Promise<void> {
    if (entries.length === 0) return;
    await this.model.bulkWrite(
      entries.map(({ id, at }) => ({
        updateOne: {
          filter: { _id: id, status: { $ne: 'sent' } },
          update: { $set: { status: 'sent', sentAt: at, lastError: null }, $inc: { attempts: 1 } },
        },
      })),
      { ordered: false },
    );
  }

  /** A failed notification handed back for delivery (an operator's retry); false when it is not failed. */
  async requeueFailed(id: string): Promise<boolean> {
    const { matchedCount } = await this.model.updateOne({ _id: id, status: 'failed' }, { $set: { status: 'queued' } });
    return matchedCount === 1;
  }

  /** A failed attempt after which nobody tries again. Only the claim holder may call this. */
  async markFailed(id: string, error: string): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { status: 'failed', lastError: error }, $inc: { attempts: 1 } });
  }

  /** A failed attempt that will be retried: the notification stays queued. Only the claim holder may call this. */
  async recordFailedAttempt(id: string, error: string): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { lastError: error }, $inc: { attempts: 1 } });
  }

  /**
   * Ids of notifications still queued that were created before `cutoff`, `batchSize` at a time,
   * in one pass of one cursor: paging by `_id > last` would make the store match and sort the
   * whole backlog again for every page (FerretDB does both in memory), which is quadratic in
   * exactly the case the sweep is for, a backlog.
   */
  async *queuedIdsBefore(cutoff: Date, batchSize: number): AsyncGenerator<string[]> {
    const cursor = this.model
      .find({ status: 'queued', createdAt: { $lt: cutoff } })
      .select({ _id: 1 })
      .lean<{ _id: Types.ObjectId }>()
      .cursor({ batchSize });
    let batch: string[] = [];
    try {
      for await (const row of cursor) {
        batch.push(row._id.toHexString());
        if (batch.length === batchSize) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    } finally {
      await cursor.close();
    }
  }
}

interface BulkInsertError {
  writeErrors?: Array<{ index: number; code?: number; err?: { code?: number } }>;
  insertedCount?: number;
}

/**
 * The indexes an unordered insert refused only because their dedupeKey was taken, or the error
 * rethrown. The driver reports a connection lost mid-insert as a bulk-write error with no write
 * errors at all, so "every write error is a duplicate" is not enough: every document must be
 * accounted for, inserted or refused as a duplicate, or the batch is not known to be stored.
 */
function duplicateIndexes(err: unknown, total: number): Set<number> {
  const bulk = err as BulkInsertError;
  const writeErrors = bulk.writeErrors ?? [];
  const allDuplicates = writeErrors.length > 0 && writeErrors.every((e) => isMongoDuplicateKey({ code: e.code ?? e.err?.code }));
  if (allDuplicates && bulk.insertedCount !== undefined && bulk.insertedCount + writeErrors.length === total) {
    return new Set(writeErrors.map((e) => e.index));
  }
  throw err;
}
