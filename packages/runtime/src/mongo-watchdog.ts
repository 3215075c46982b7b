import type { Logger } from 'pino';
import { PeriodicTask } from './periodic-task';

/** What the watchdog needs of a mongoose Connection (kept structural: this package has no mongoose). */
export interface WatchedMongoConnection {
  readonly db?: { admin(): { ping(): Promise<unknown> } } | null;
  close(): Promise<unknown>;
  openUri(uri: string, options?: object): Promise<unknown>;
}

/**
 * How long pings must fail before the connection is opened again, unless told otherwise. A write
 * held up by a reopen can take about this long: leases over MongoDB writes must stay well above it.
 */
export const MONGO_WATCHDOG_REOPEN_AFTER_MS = 15_000;

export interface MongoWatchdogOptions {
  uri: string;
  /** The options the connection was opened with; it is opened again with them. */
  connectOptions: object;
  logger: Logger;
  /** How often it pings. */
  intervalMs?: number;
  /** A ping slower than this counts as failed. */
  pingTimeoutMs?: number;
  /** After failing this long without a break, the connection is closed and opened again. */
  reopenAfterMs?: number;
}

/**
 * Opens a MongoDB connection again once it has failed for a while. The MongoDB driver (7.8 and
 * 7.9, reproduced with mongoose through Toxiproxy around a FerretDB restart) can leave its
 * server monitor waiting forever on a check: the server is never seen up again and every call
 * fails server selection until the process restarts, though a new client connects at once.
 * Closing and opening the connection gives it a new monitor; while the database really is down,
 * each reopen simply fails again and is retried after the next `reopenAfterMs`.
 */
export class MongoWatchdog {
  private readonly task: PeriodicTask<void>;
  private failingSince: number | undefined;
  private readonly pingTimeoutMs: number;
  private readonly reopenAfterMs: number;

  constructor(
    private readonly connection: WatchedMongoConnection,
    private readonly options: MongoWatchdogOptions,
  ) {
    this.pingTimeoutMs = options.pingTimeoutMs ?? 2_000;
    this.reopenAfterMs = options.reopenAfterMs ?? MONGO_WATCHDOG_REOPEN_AFTER_MS;
    this.task = new PeriodicTask(() => this.check(), {
      name: 'mongodb watchdog',
      intervalMs: options.intervalMs ?? 2_000,
      logger: options.logger,
    });
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  private async check(): Promise<void> {
    if (await this.pings()) {
      this.failingSince = undefined;
      return;
    }
    const now = Date.now();
    this.failingSince ??= now;
    if (now - this.failingSince < this.reopenAfterMs) return;
    this.failingSince = now;
    this.options.logger.warn({ failingForMs: this.reopenAfterMs }, 'MongoDB unreachable for a while: opening the connection again');
    try {
      // A close waiting on the stuck client must not stop the watchdog itself.
      await withTimeout(this.connection.close(), this.reopenAfterMs).catch(() => undefined);
      await this.connection.openUri(this.options.uri, this.options.connectOptions);
      this.options.logger.info('MongoDB connection opened again');
    } catch (err) {
      this.options.logger.warn({ err }, 'MongoDB connection could not be opened again yet');
    }
  }

  private async pings(): Promise<boolean> {
    const db = this.connection.db;
    if (!db) return false;
    return withTimeout(db.admin().ping(), this.pingTimeoutMs).then(
      () => true,
      () => false,
    );
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
