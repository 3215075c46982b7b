import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Types } from 'mongoose';

/**
 * When a recipient first marked a notification read. Kept out of the notification document so a
 * user's write can never race the delivery worker's (see Notification), and insert-only: the
 * notification id is the _id, so the first read wins atomically and repeats change nothing.
 */
@Schema({ collection: 'notification_reads', versionKey: false })
export class NotificationRead {
  @Prop({ type: Types.ObjectId, required: true })
  _id: Types.ObjectId;

  @Prop({ type: String, required: true })
  userId: string;

  @Prop({ type: Date, required: true })
  readAt: Date;
}

export const NotificationReadSchema = SchemaFactory.createForClass(NotificationRead);
