import { randomUUID } from 'node:crypto';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { isDuplicateKeyError } from '../core/mongo-errors';
import { DeliveryClaim } from './delivery-claim.model';

export interface HeldClaim {
  id: string;
  notificationId: string;
  generation: number;
  token: string;
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
    const claim = {
      _id: `${notificationId}:${generation}`,
      notificationId,
      generation,
      token: randomUUID(),
      expiresAt: new Date(now.getTime() + leaseMs),
    };
    try {
      await this.model.create(claim);
    } catch (err) {
      if (isDuplicateKeyError(err)) return undefined;
      throw err;
    }
    return { id: claim._id, notificationId, generation, token: claim.token, expiresAt: claim.expiresAt };
  }

  /**
   * The fence: true while `claim` is still the notification's latest claim, with its token, and
   * has at least `marginMs` of its lease left. Nobody can take the next claim before that lease
   * ends, so writes made within `marginMs` of a true answer are the holder's alone. (A check then
   * a write, not a conditional update: FerretDB does not apply those atomically.)
   */
  async holds(claim: HeldClaim, now: Date, marginMs: number): Promise<boolean> {
    const latest = await this.model.findOne({ notificationId: claim.notificationId }).sort({ generation: -1 }).lean().exec();
    return latest?._id === claim.id && latest.token === claim.token && latest.expiresAt.getTime() - now.getTime() >= marginMs;
  }

  /** Ends a claim so the next attempt can take one; only the claim with this token is touched. */
  async release(claim: HeldClaim, at: Date): Promise<void> {
    await this.model.updateOne({ _id: claim.id, token: claim.token }, { $set: { expiresAt: at } });
  }

  /**
   * Drops the claims of a notification that is done (sent or failed) up to this one: a later
   * claim, taken after this one's lease ran out, is never deleted by an earlier holder.
   */
  async clear(claim: HeldClaim): Promise<void> {
    await this.model.deleteMany({ notificationId: claim.notificationId, generation: { $lte: claim.generation } });
  }
}
