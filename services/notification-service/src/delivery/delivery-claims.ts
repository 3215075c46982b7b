import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '@shop/nest-kit';
import { NotificationServiceConfig } from '../config';
import { NotificationRepository } from '../notifications/notification.repository';
import { deliverableOf } from '../notifications/deliverable';
import { DeliveryContent } from '../queue/delivery.queue';
import { DeliveryClaimRepository, HeldClaim } from './delivery-claim.repository';

export type ClaimOutcome = { claimed: true; claim: HeldClaim; content: DeliveryContent } | { claimed: false; reason: string };

/**
 * Who may deliver a notification now. A job's attempt n claims generation n with one insert: its
 * unique _id lets one of several copies of the same attempt through (a stalled job taken over, a
 * duplicate), and the claim stays as a tombstone after the attempt, so a copy arriving later
 * collides with it too. That is the whole cost while the notification is young: claims are kept
 * NOTIFY_CLAIM_RETENTION_MS past their lease, so none of a notification younger than that has
 * been purged, and a free generation means nobody took it.
 *
 * Any other case takes the careful path: a job without content (made from an id alone), an
 * older notification, or a generation already taken. It reads the latest claim (somebody's live
 * claim means somebody is delivering: nothing to do) and the notification (a sent one is done),
 * then claims the generation after the latest.
 */
@Injectable()
export class DeliveryClaims {
  constructor(
    private readonly claims: DeliveryClaimRepository,
    private readonly notifications: NotificationRepository,
    @Inject(APP_CONFIG) private readonly config: NotificationServiceConfig,
  ) {}

  async acquire(notificationId: string, attempt: number, carried: DeliveryContent | undefined): Promise<ClaimOutcome> {
    const now = new Date();
    if (carried && now.getTime() - carried.since < this.config.NOTIFY_CLAIM_RETENTION_MS) {
      const claim = await this.claims.insert(notificationId, attempt, now, this.config.NOTIFY_CLAIM_LEASE_MS);
      if (claim) return { claimed: true, claim, content: carried };
    }
    const latest = await this.claims.latest(notificationId);
    if (latest && latest.expiresAt > now) return { claimed: false, reason: 'another attempt holds it' };
    const notification = await this.notifications.findById(notificationId);
    if (!notification) return { claimed: false, reason: 'no such notification' };
    // `failed` is delivered again: only an operator's retry makes a job for a failed notification.
    if (notification.status === 'sent') return { claimed: false, reason: 'already sent' };
    const claim = await this.claims.insert(notificationId, (latest?.generation ?? 0) + 1, new Date(), this.config.NOTIFY_CLAIM_LEASE_MS);
    if (!claim) return { claimed: false, reason: 'another attempt claimed it first' };
    if (carried) return { claimed: true, claim, content: carried };
    const { id: _id, ...content } = deliverableOf(notification);
    return { claimed: true, claim, content };
  }

  /** Whether an attempt that outlived its lease is still the latest to claim: then its outcome stands. */
  isLatest(claim: HeldClaim): Promise<boolean> {
    return this.claims.isLatest(claim);
  }

  /** Lets the next attempt claim at once (after a failure that will be retried). */
  release(claim: HeldClaim): Promise<void> {
    return this.claims.release(claim, new Date());
  }
}
