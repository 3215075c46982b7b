import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { isDuplicateKeyError } from '../core/mongo-errors';
import { DeliveryClaim } from './delivery-claim.model';

export interface HeldClaim {
  id: string;
  notificationId: string;
  expiresAt: Date;
}

/** Exclusive, expiring claims on notifications (see DeliveryClaim). */
@Injectable()
export class DeliveryClaimRepository implements OnModuleInit {
  constructor(@InjectModel(DeliveryClaim.name) private readonly model: Model<DeliveryClaim>) {}

  async onModuleInit(): Promise<void> {
    await this.model.init();
  }

  /**
   * Takes the next claim unless a live one exists. Resolves undefined when another worker holds
   * the notification, or took the same generation first.
   */
  async acquire(notificationId: string, now: Date, leaseMs: number): Promise<HeldClaim | undefined> {
    const latest = await this.model.findOne({ notificationId }).sort({ generation: -1 }).lean().exec();
    if (latest && latest.expiresAt > now) return undefined;
    const generation = (latest?.generation ?? 0) + 1;
    const claim = { _id: `${notificationId}:${generation}`, notificationId, generation, expiresAt: new Date(now.getTime() + leaseMs) };
    try {
      await this.model.create(claim);
    } catch (err) {
      if (isDuplicateKeyError(err)) return undefined;
      throw err;
    }
    return { id: claim._id, notificationId, expiresAt: claim.expiresAt };
  }

  /** Ends a claim so the next attempt can take one. Only its holder writes it. */
  async release(claim: HeldClaim, at: Date): Promise<void> {
    await this.model.updateOne({ _id: claim.id }, { $set: { expiresAt: at } });
  }

  /** Drops every claim of a notification that is done (sent or failed): none will be needed again. */
  async clear(notificationId: string): Promise<void> {
    await this.model.deleteMany({ notificationId });
  }
}
