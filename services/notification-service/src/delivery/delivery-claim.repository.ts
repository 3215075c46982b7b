import { randomUUID } from 'node:crypto';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { claimBucketOf, DeliveryClaim } from './delivery-claim.model';
import { isMongoDuplicateKey } from '@shop/errors';

export interface HeldClaim {
  id: string;
  notificationId: string;
  generation: number;
  token: string;
  expiresAt: Date;
}

/** Storage of delivery claims (see DeliveryClaim); DeliveryClaims decides when to take which. */
@Injectable()
export class DeliveryClaimRepository implements OnModuleInit {
  constructor(@InjectModel(DeliveryClaim.name) private readonly model: Model<DeliveryClaim>) {}

  /** The unique _id decides who holds a generation: its index must exist before the first claim. */
  async onModuleInit(): Promise<void> {
    await this.model.init();
  }

  /** One insert: the claim on this generation, or `undefined` when somebody took it first. */
  async insert(notificationId: string, generation: number, now: Date, leaseMs: number): Promise<HeldClaim | undefined> {
    const claim = {
      _id: `${notificationId}:${generation}`,
      notificationId,
      generation,
      token: randomUUID(),
      expiresAt: new Date(now.getTime() + leaseMs),
      bucket: claimBucketOf(now),
    };
    try {
      // Lean: one insert command, without building and validating a mongoose document first.
      await this.model.insertMany([claim], { lean: true });
    } catch (err) {
      if (isMongoDuplicateKey(err)) return undefined;
      throw err;
    }
    return { id: claim._id, notificationId, generation, token: claim.token, expiresAt: claim.expiresAt };
  }

  /** The notification's newest claim (an equality lookup; the few claims of one notification are sorted in memory). */
  latest(notificationId: string): Promise<DeliveryClaim | null> {
    return this.model.findOne({ notificationId }).sort({ generation: -1 }).lean<DeliveryClaim>().exec();
  }

  /** Whether `claim` is still its notification's newest, with its token: nobody has claimed it since. */
  async isLatest(claim: HeldClaim): Promise<boolean> {
    const latest = await this.latest(claim.notificationId);
    return latest?._id === claim.id && latest.token === claim.token;
  }

  /** Ends a claim so the next attempt can take one; only the claim with this token is touched. */
  async release(claim: HeldClaim, at: Date): Promise<void> {
    await this.model.updateOne({ _id: claim.id, token: claim.token }, { $set: { expiresAt: at } });
  }

  /** The oldest bucket that still has claims, if any (read once, when purging starts). */
  async oldestBucket(): Promise<number | undefined> {
    const oldest = await this.model.findOne().sort({ bucket: 1 }).select({ bucket: 1 }).lean<{ bucket: number }>().exec();
    return oldest?.bucket;
  }

  /** Deletes the claims taken in one bucket (a minute); resolves with how many. */
  async purgeBucket(bucket: number): Promise<number> {
    const { deletedCount } = await this.model.deleteMany({ bucket });
    return deletedCount;
  }
}
