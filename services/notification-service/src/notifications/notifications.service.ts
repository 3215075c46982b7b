import { Inject, Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError } from '@shop/errors';
import { Logger } from '@shop/observability';
import { CreateNotificationInput, Page, PageRequest, toPage } from '@shop/contracts';
import { AuthenticatedUser } from '@shop/internal-auth';
import { APP_LOGGER } from '@shop/nest-kit';
import { withTimeout } from '../common/with-timeout';
import { Deliverable, DeliveryQueue } from '../queue/delivery.queue';
import { deliverableOf } from './deliverable';
import { NotificationReadRepository } from './notification-read.repository';
import { NotificationRecord, ReadableNotification } from './notification.model';
import { NotificationFilter, NotificationRepository } from './notification.repository';

/** Who is reading: another service (internal key) or a signed-in user. */
export type Viewer = { kind: 'internal' } | { kind: 'user'; user: AuthenticatedUser };

export type NotificationPage = Page<ReadableNotification>;

export interface CreateResult {
  notification: ReadableNotification;
  /** False when a notification with the same dedupeKey existed: nothing new is sent. */
  created: boolean;
}

/** How long a request waits for Redis before leaving the notification to the re-queue sweeper. */
const ENQUEUE_TIMEOUT_MS = 2000;

@Injectable()
export class NotificationsService {
  constructor(
    private readonly notifications: NotificationRepository,
    private readonly reads: NotificationReadRepository,
    private readonly deliveryQueue: DeliveryQueue,
    @Inject(APP_LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Stores the notification as queued, then asks for its delivery. The stored row is the promise
   * to deliver: if Redis cannot take the job now, the re-queue sweeper enqueues it later, so the
   * caller still gets its 202 and nothing is lost.
   */
  async create(input: CreateNotificationInput): Promise<CreateResult> {
    const inserted = await this.notifications.insertUnlessDuplicate(newNotification(input));
    if (!inserted) return { notification: await this.withReadTime(await this.existingFor(input)), created: false };
    await this.enqueueAll([deliverableOf(inserted)]);
    return { notification: { ...inserted, readAt: null }, created: true };
  }

  /**
   * Many at once (the Order service's outbox relay): stored in one insert and queued in one
   * Bull call, each keeping its dedupeKey rule. One result per input, in order; a dedupeKey
   * already held by a notification for another recipient or channel is rejected alone.
   */
  async createMany(inputs: readonly CreateNotificationInput[]): Promise<BatchResult[]> {
    const inserted = await this.notifications.insertManyUnlessDuplicate(inputs.map(newNotification));
    const repeatedKeys = inputs.filter((_, i) => !inserted[i]).map((input) => input.dedupeKey as string);
    const existing = await this.notifications.findByDedupeKeys(repeatedKeys);
    const readTimes = await this.reads.readTimes([...existing.values()].map((n) => n._id));
    await this.enqueueAll(inserted.flatMap((n) => (n ? [deliverableOf(n)] : [])));
    return inputs.map((input, i): BatchResult => {
      const created = inserted[i];
      if (created) return { status: 'created', notification: { ...created, readAt: null } };
      try {
        const found = sameNotification(existing.get(input.dedupeKey as string), input);
        return { status: 'existing', notification: { ...found, readAt: readTimes.get(found._id.toHexString()) ?? null } };
      } catch (err) {
        const refusal = err as ConflictError;
        return { status: 'rejected', code: refusal.code, error: refusal.message };
      }
    });
  }

  list(filter: NotificationFilter, page: PageRequest): Promise<NotificationPage> {
    return this.page(filter, page);
  }

  listForUser(userId: string, filter: Omit<NotificationFilter, 'userId'>, page: PageRequest): Promise<NotificationPage> {
    return this.page({ ...filter, userId }, page);
  }

  /** Its recipient, an admin and other services may read a notification; to anyone else it does not exist. */
  async getVisible(id: string, viewer: Viewer): Promise<ReadableNotification> {
    const notification = await this.notifications.findById(id);
    const visible =
      notification !== null && (viewer.kind === 'internal' || viewer.user.role === 'admin' || notification.userId === viewer.user.id);
    if (!visible) throw notFound(id);
    return this.withReadTime(notification);
  }

  /** Only the recipient marks a notification read; the first time it was read is kept. */
  async markRead(id: string, userId: string): Promise<ReadableNotification> {
    const notification = await this.notifications.findById(id);
    if (notification?.userId !== userId) throw notFound(id);
    return { ...notification, readAt: await this.reads.markRead(notification._id, userId, new Date()) };
  }

  /** The notification that already holds the input's dedupeKey (see sameNotification). */
  private async existingFor(input: CreateNotificationInput): Promise<NotificationRecord> {
    return sameNotification(await this.notifications.findByDedupeKey(input.dedupeKey as string), input);
  }

  /**
   * An operator hands a failed notification back (after fixing what made it fail): it is queued
   * again with a fresh retry window and delivered as a new one would be.
   */
  async retry(id: string): Promise<ReadableNotification> {
    const notification = await this.notifications.findById(id);
    if (!notification) throw notFound(id);
    if (!(await this.notifications.requeueFailed(id))) {
      throw new ConflictError(`Notification ${id} is ${notification.status}: only a failed notification can be retried`, {
        code: 'NOTIFICATION_NOT_FAILED',
      });
    }
    const { id: _id, ...content } = deliverableOf(notification, Date.now());
    try {
      await withTimeout(this.deliveryQueue.ensureEnqueued(id, content), ENQUEUE_TIMEOUT_MS, 'Redis');
    } catch (err) {
      this.logger.warn({ err, notificationId: id }, 'notification handed back but not queued yet: the re-queue sweeper will enqueue it');
    }
    return this.withReadTime({ ...notification, status: 'queued' });
  }

  private async enqueueAll(notifications: Deliverable[]): Promise<void> {
    try {
      await withTimeout(this.deliveryQueue.enqueueMany(notifications), ENQUEUE_TIMEOUT_MS, 'Redis');
    } catch (err) {
      this.logger.warn(
        { err, count: notifications.length },
        'notifications stored but not queued yet: the re-queue sweeper will enqueue them',
      );
    }
  }

  private async page(filter: NotificationFilter, request: PageRequest): Promise<NotificationPage> {
    const { items, total } = await this.notifications.list(filter, request);
    const readTimes = await this.reads.readTimes(items.map((n) => n._id));
    const readable = items.map((n) => ({ ...n, readAt: readTimes.get(n._id.toHexString()) ?? null }));
    return toPage(readable, request, total);
  }

  private async withReadTime(notification: NotificationRecord): Promise<ReadableNotification> {
    const readTimes = await this.reads.readTimes([notification._id]);
    return { ...notification, readAt: readTimes.get(notification._id.toHexString()) ?? null };
  }
}

/** One notification of a batch: stored now, found by its dedupeKey, or refused. */
export type BatchResult =
  { status: 'created' | 'existing'; notification: ReadableNotification } | { status: 'rejected'; code: string; error: string };

const newNotification = (input: CreateNotificationInput) => ({
  userId: input.userId,
  title: input.title,
  description: input.description,
  notificationType: input.notificationType,
  metadata: input.metadata,
  dedupeKey: input.dedupeKey,
  recipient: input.recipient,
});

/**
 * The notification that holds the dedupeKey. A key reused for another recipient or channel is
 * a caller's bug, not a repeat: answering with someone else's notification would hide it.
 */
function sameNotification(existing: NotificationRecord | null | undefined, input: CreateNotificationInput): NotificationRecord {
  if (!existing) {
    // Only possible if the holder was deleted between our insert and this read.
    throw new ConflictError('A notification with this dedupeKey was just removed; retry the request', { code: 'DEDUPE_KEY_CONFLICT' });
  }
  if (existing.userId !== input.userId || existing.notificationType !== input.notificationType) {
    throw new ConflictError('This dedupeKey is already used by a notification for another recipient or channel', {
      code: 'DEDUPE_KEY_REUSED',
    });
  }
  return existing;
}

const notFound = (id: string) => new NotFoundError(`Notification ${id} not found`, { code: 'NOTIFICATION_NOT_FOUND' });
