import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { Connection } from 'mongoose';
import { MONGO_CONNECTION_OPTIONS } from '@shop/config';
import { APP_CONFIG, APP_LOGGER } from '@shop/nest-kit';
import { Logger } from '@shop/observability';
import { MongoWatchdog } from '@shop/runtime';
import { NotificationServiceConfig } from '../config';

/** The app's MongoDB connection, opened again when it stays unreachable (see MongoWatchdog). */
@Injectable()
export class MongoWatchdogProvider implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly watchdog: MongoWatchdog;

  constructor(
    @InjectConnection() connection: Connection,
    @Inject(APP_CONFIG) config: NotificationServiceConfig,
    @Inject(APP_LOGGER) logger: Logger,
  ) {
    this.watchdog = new MongoWatchdog(connection, {
      uri: config.MONGODB_URI,
      connectOptions: MONGO_CONNECTION_OPTIONS,
      logger,
      reopenAfterMs: config.MONGO_REOPEN_AFTER_MS,
    });
  }

  onApplicationBootstrap(): void {
    this.watchdog.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.watchdog.stop();
  }
}
