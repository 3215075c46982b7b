import { TypeOrmModuleOptions } from '@nestjs/typeorm';
import { postgresConnectionOptions } from '@shop/config';
import { ProductServiceConfig, SERVICE_NAME } from '../config';
import { CreateCatalogue1767225600000 } from '../migrations/1767225600000-CreateCatalogue';
import { ReserveStockFunction1767312000000 } from '../migrations/1767312000000-ReserveStockFunction';
import { ReserveRepeatFirst1767398400000 } from '../migrations/1767398400000-ReserveRepeatFirst';

/** The schema comes only from the migrations, applied by createApp (migrateExclusively); never `synchronize`. */
export const MIGRATIONS = [CreateCatalogue1767225600000, ReserveStockFunction1767312000000, ReserveRepeatFirst1767398400000];

export function typeOrmOptions(config: ProductServiceConfig): TypeOrmModuleOptions {
  const connection = postgresConnectionOptions(config);
  return {
    ...connection,
    // pg's default closes idle connections after 10 s: every burst would then pay new logins.
    extra: { ...connection.extra, idleTimeoutMillis: config.DB_POOL_IDLE_TIMEOUT_MS },
    applicationName: SERVICE_NAME,
    autoLoadEntities: true,
    synchronize: false,
    migrations: MIGRATIONS,
    // Applied by createApp one instance at a time (an advisory lock), not here where replicas would race.
    migrationsRun: false,
    // A database still starting is waited for briefly; one that stays down fails the start.
    retryAttempts: 5,
    retryDelay: 2000,
  };
}
