import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Logger } from '@shop/observability';
import { PeriodicTask } from '@shop/runtime';
import { NotificationServiceConfig } from '../config';
import { APP_CONFIG, APP_LOGGER } from '@shop/nest-kit';
import { NotificationRepository } from '../notifications/notification.repository';
import { DeliveryQueue } from '../queue/delivery.queue';

const BATCH_SIZE = 200;
/**
 * How long a pass keeps the other replicas' passes out. Far longer than a pass takes (one read
 * of a job's hash per queued notification); should one outlive it, the pass another replica then
 * runs is wasted work, not a duplicate (see below). A replica killed mid-pass delays the next
 * pass by at most this.
 */
export const REQUEUE_LEASE_MS = 30_000;

/**
 * Nothing stored is ever lost: a notification still queued in MongoDB without a live Bull job
 * (Redis lost its data, the add failed, a job failed while the notification was not updated) gets
 * a job again. Runs at start and every REQUEUE_INTERVAL_MS in worker processes. One pass at a
 * time across every replica (a lease in Redis): two passes at once would each replace the other's
 * fresh jobs of finished ones and read the whole backlog twice. Even then nothing is sent twice:
 * an existing job is never duplicated (job id = notification id) and the processor's claim makes a
 * surplus job a no-op.
 */
@Injectable()
export class RequeueSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: Logger;
  private readonly task: PeriodicTask<number>;
  private stopped = false;

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly deliveryQueue: DeliveryQueue,
    @Inject(APP_CONFIG) private readonly config: NotificationServiceConfig,
    @Inject(APP_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'requeue' });
    this.task = new PeriodicTask(() => this.sweepAll(), {
      name: 're-queue sweep',
      intervalMs: config.REQUEUE_INTERVAL_MS,
      runAtStart: true,
      logger: this.logger,
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.WORKER_ENABLED) this.task.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    await this.task.stop();
  }

  /** One pass over the stored backlog (joining one in flight); resolves with how many notifications got a new job. */
  sweep(): Promise<number> {
    return this.task.runOnce();
  }

  private async sweepAll(): Promise<number> {
    const lease = await this.deliveryQueue.takeLease('requeue', REQUEUE_LEASE_MS);
    // Another replica is sweeping: its pass covers this one's.
    if (!lease) return 0;
    try {
      return await this.sweepHeld();
    } finally {
      await this.deliveryQueue.releaseLease('requeue', lease).catch((err: unknown) => {
        this.logger.warn({ err }, 're-queue lease not given back; it expires by itself');
      });
    }
  }

  private async sweepHeld(): Promise<number> {
    const cutoff = new Date(Date.now() - this.config.REQUEUE_AFTER_MS);
    let requeued = 0;
    for await (const ids of this.notifications.queuedIdsBefore(cutoff, BATCH_SIZE)) {
      if (this.stopped) break;
      // One read of each job's hash (and an add where it is missing or finished), whatever the backlog.
      const added = await Promise.all(ids.map((id) => this.deliveryQueue.ensureEnqueued(id)));
      requeued += added.filter(Boolean).length;
    }
    if (requeued > 0) this.logger.warn({ requeued }, 're-queued stored notifications that had no live job');
    return requeued;
  }
}
