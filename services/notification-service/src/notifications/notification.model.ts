import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema, Types } from 'mongoose';
import { NotificationRecipient, NotificationStatus, NotificationType } from '@shop/contracts';

export const NOTIFICATION_TYPES: readonly NotificationType[] = ['email', 'sms', 'push'];
export const NOTIFICATION_STATUSES: readonly NotificationStatus[] = ['queued', 'sent', 'failed'];

/**
 * A notification and its delivery state. After the insert, only the worker holding the
 * notification's delivery claim writes to it (see DeliveryClaims): FerretDB applies an update as
 * read-modify-write of the whole document without a lock, so two concurrent writers — even of
 * different fields — can lose one another's change. What users change (readAt) lives apart, in
 * NotificationRead.
 */
@Schema({ collection: 'notifications', timestamps: true, versionKey: false })
export class Notification {
  @Prop({ type: String, required: true })
  userId: string;

  @Prop({ type: String, required: true, maxlength: 200 })
  title: string;

  @Prop({ type: String, required: true, maxlength: 5000 })
  description: string;

  @Prop({ type: String, required: true, enum: NOTIFICATION_TYPES })
  notificationType: NotificationType;

  @Prop({ type: MongooseSchema.Types.Mixed })
  metadata?: Record<string, unknown>;

  /** Where an email goes when the caller said so (no User service lookup then). */
  @Prop({ type: { _id: false, email: { type: String, required: true }, name: { type: String } }, default: undefined })
  recipient?: NotificationRecipient;

  /** Absent unless the caller gave one: the unique index is sparse, so only given keys must be unique. */
  @Prop({ type: String })
  dedupeKey?: string;

  @Prop({ type: String, required: true, enum: NOTIFICATION_STATUSES, default: 'queued' })
  status: NotificationStatus;

  /** Delivery attempts made so far. */
  @Prop({ type: Number, required: true, default: 0 })
  attempts: number;

  @Prop({ type: String, default: null })
  lastError: string | null;

  @Prop({ type: Date, default: null })
  sentAt: Date | null;

  createdAt: Date;
  updatedAt: Date;
}

/** A notification as read from MongoDB (lean). */
export type NotificationRecord = Notification & { _id: Types.ObjectId };

/** A notification as its readers see it: with the time its recipient marked it read. */
export type ReadableNotification = NotificationRecord & { readAt: Date | null };

export const NotificationSchema = SchemaFactory.createForClass(Notification);
// Sparse, not partial: FerretDB implements sparse unique indexes but not partialFilterExpression.
NotificationSchema.index({ dedupeKey: 1 }, { unique: true, sparse: true });
NotificationSchema.index({ userId: 1, createdAt: -1 });
// The re-queue sweeper's scan: queued rows, oldest first.
NotificationSchema.index({ status: 1, createdAt: 1 });
