import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG } from '@shop/nest-kit';
import { NotificationServiceConfig } from '../config';
import { NotificationRepository } from '../notifications/notification.repository';

/** More than this many waiting writes are flushed at once rather than after the delay. */
const MAX_BATCH = 200;

interface PendingWrite {
  id: string;
  at: Date;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Writes `sent` for every notification sent within NOTIFY_SENT_FLUSH_MS in one bulk write: at a
 * high rate one command carries many outcomes, at a low one the wait is a few milliseconds.
 * Each caller's promise settles with its batch, so an attempt still completes only once its
 * outcome is stored; a failed batch fails every caller in it, and each retries on its own
 * (the write is safe to repeat).
 */
@Injectable()
export class SentWriter implements OnModuleDestroy {
  private pending: PendingWrite[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly notifications: NotificationRepository,
    @Inject(APP_CONFIG) private readonly config: NotificationServiceConfig,
  ) {}

  markSent(id: string, at: Date): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ id, at, resolve, reject });
      if (this.pending.length >= MAX_BATCH) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.config.NOTIFY_SENT_FLUSH_MS);
    });
  }

  /** Nothing waits on a timer once the module stops (the worker has finished its jobs by then). */
  onModuleDestroy(): void {
    this.flush();
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.notifications.markManySent(batch.map(({ id, at }) => ({ id, at }))).then(
      () => batch.forEach((w) => w.resolve()),
      (err: unknown) => batch.forEach((w) => w.reject(err)),
    );
  }
}
