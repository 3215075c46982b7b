import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { NotificationRead } from './notification-read.model';
import { isMongoDuplicateKey } from '@shop/errors';

/** Data access for read receipts (see NotificationRead). */
@Injectable()
export class NotificationReadRepository {
  constructor(@InjectModel(NotificationRead.name) private readonly model: Model<NotificationRead>) {}

  /** Records the first read; a repeat keeps the first time. Returns the time kept. */
  async markRead(notificationId: Types.ObjectId, userId: string, at: Date): Promise<Date> {
    try {
      await this.model.create({ _id: notificationId, userId, readAt: at });
      return at;
    } catch (err) {
      if (!isMongoDuplicateKey(err)) throw err;
      const first = await this.model.findById(notificationId).lean().exec();
      return first?.readAt ?? at;
    }
  }

  /**
   * When each of these notifications was read (absent: not read). One lookup by _id each, not one
   * `$in`: FerretDB serves the first from an index and reads the whole collection for the second.
   */
  async readTimes(notificationIds: Types.ObjectId[]): Promise<Map<string, Date>> {
    const reads = await Promise.all(notificationIds.map((id) => this.model.findById(id).lean().exec()));
    return new Map(reads.flatMap((r) => (r ? [[r._id.toHexString(), r.readAt] as const] : [])));
  }
}
