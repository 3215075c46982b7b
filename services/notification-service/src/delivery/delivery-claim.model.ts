import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/** Claims are purged a minute's bucket at a time: an equality filter, which FerretDB serves from an index. */
export const CLAIM_BUCKET_MS = 60_000;

export const claimBucketOf = (at: Date): number => Math.floor(at.getTime() / CLAIM_BUCKET_MS);

/**
 * The right to deliver one notification, for one attempt, until `expiresAt`. Claims of a
 * notification are numbered (generation 1, 2, ...) and the _id is `<notificationId>:<generation>`,
 * so of several workers trying to take the same generation the unique _id lets exactly one win.
 * An atomic conditional update would be the usual tool, but FerretDB does not apply those
 * atomically (two concurrent `updateOne({status: 'queued'}, ...)` can both match); unique
 * inserts are enforced by its PostgreSQL index, on MongoDB too.
 *
 * A claim outlives its attempt as a tombstone (purged in bulk by `bucket` after
 * NOTIFY_CLAIM_RETENTION_MS): while it is there, a second job for the same attempt collides with
 * it instead of sending again. Each claim also carries a random token, so that an attempt that
 * outlived its lease can tell whether its claim is still the latest one (see DeliveryClaims).
 */
@Schema({ collection: 'notification_claims', versionKey: false })
export class DeliveryClaim {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  notificationId: string;

  @Prop({ type: Number, required: true })
  generation: number;

  /** Unique to the attempt that took the claim. */
  @Prop({ type: String, required: true })
  token: string;

  /** Until then the claim holds; a failed attempt sets it to the past so the next can start at once. */
  @Prop({ type: Date, required: true })
  expiresAt: Date;

  /** The minute it was taken in (claimBucketOf), by which tombstones are purged. */
  @Prop({ type: Number, required: true })
  bucket: number;
}

export const DeliveryClaimSchema = SchemaFactory.createForClass(DeliveryClaim);
DeliveryClaimSchema.index({ notificationId: 1, generation: -1 });
DeliveryClaimSchema.index({ bucket: 1 });
