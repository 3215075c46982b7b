import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, APP_LOGGER } from '@shop/nest-kit';
import { Logger } from '@shop/observability';
import { PeriodicTask } from '@shop/runtime';
import { NotificationServiceConfig } from '../config';
import { CLAIM_BUCKET_MS, claimBucketOf } from './delivery-claim.model';
import { DeliveryClaimRepository } from './delivery-claim.repository';

/**
 * Purges claim tombstones a minute's bucket at a time, once they are older than their lease plus
 * NOTIFY_CLAIM_RETENTION_MS (DeliveryClaims relies on that: a notification younger than the
 * retention still has every claim it ever had). Each bucket is one indexed delete, so a pass
 * costs what the last minute added, whatever the collection holds. Several worker processes may
 * purge the same bucket: deleting twice is harmless.
 */
@Injectable()
export class ClaimPurger implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: Logger;
  private readonly task: PeriodicTask<number>;
  /** The first bucket not purged yet; found from the oldest claim on the first pass. */
  private next?: number;

  constructor(
    private readonly claims: DeliveryClaimRepository,
    @Inject(APP_CONFIG) private readonly config: NotificationServiceConfig,
    @Inject(APP_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'claim-purge' });
    this.task = new PeriodicTask(() => this.purgeDue(), {
      name: 'claim purge',
      intervalMs: CLAIM_BUCKET_MS,
      runAtStart: true,
      logger: this.logger,
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.WORKER_ENABLED) this.task.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
  }

  /** One pass (joining one in flight); resolves with how many claims it deleted. */
  purge(): Promise<number> {
    return this.task.runOnce();
  }

  private async purgeDue(): Promise<number> {
    const keepFrom = new Date(Date.now() - this.config.NOTIFY_CLAIM_LEASE_MS - this.config.NOTIFY_CLAIM_RETENTION_MS);
    // Only buckets that ended before keepFrom: a claim taken in keepFrom's own minute may be younger.
    const last = claimBucketOf(keepFrom) - 1;
    this.next ??= (await this.claims.oldestBucket()) ?? last + 1;
    let deleted = 0;
    for (; this.next <= last; this.next++) deleted += await this.claims.purgeBucket(this.next);
    if (deleted > 0) this.logger.debug({ deleted }, 'purged delivery claims past their retention');
    return deleted;
  }
}
