import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

/**
 * The right to deliver one notification, for one attempt, until `expiresAt`. Claims of a
 * notification are numbered (generation 1, 2, ...) and the _id is `<notificationId>:<generation>`,
 * so of several workers trying to take the next generation the unique _id lets exactly one win.
 * An atomic conditional update would be the usual tool, but FerretDB does not apply those
 * atomically (two concurrent `updateOne({status: 'queued'}, ...)` can both match); unique
 * inserts are enforced by its PostgreSQL index, on MongoDB too.
 *
 * Each claim also carries a random token, its fence: an attempt writes its outcome only while its
 * claim is still the latest one, with that token, and has time left (see DeliveryClaimRepository).
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

  /** Until then the claim holds; its holder sets it to the past when done (release). */
  @Prop({ type: Date, required: true })
  expiresAt: Date;
}

export const DeliveryClaimSchema = SchemaFactory.createForClass(DeliveryClaim);
DeliveryClaimSchema.index({ notificationId: 1, generation: -1 });
