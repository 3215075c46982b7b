import { BeforeApplicationShutdown, DynamicModule, Inject, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Logger } from '@shop/observability';
import { APP_CONFIG, APP_LOGGER, APP_METRICS, AppDeps } from './app.deps';
import { AuthModule } from './auth/auth.module';
import { CategoriesModule } from './categories/categories.module';
import { typeOrmOptions } from './database/typeorm-options';
import { ProductsModule } from './products/products.module';
import { ReservationsModule } from './reservations/reservations.module';

@Module({})
export class AppModule implements BeforeApplicationShutdown {
  /** The whole service, built from what main.ts (or a test) passes in. */
  static forRoot(deps: AppDeps): DynamicModule {
    return {
      module: AppModule,
      // Config, logger and metrics are injectable everywhere.
      global: true,
      imports: [
        TypeOrmModule.forRoot(typeOrmOptions(deps.config)),
        AuthModule.forRoot(deps),
        CategoriesModule,
        ProductsModule,
        ReservationsModule,
      ],
      providers: [
        { provide: APP_CONFIG, useValue: deps.config },
        { provide: APP_LOGGER, useValue: deps.logger },
        { provide: APP_METRICS, useValue: deps.metrics },
      ],
      exports: [APP_CONFIG, APP_LOGGER, APP_METRICS],
    };
  }

  constructor(@Inject(APP_LOGGER) private readonly logger: Logger) {}

  /** The sweeper has stopped; next the server closes (in-flight requests finish), then the database and clients. */
  beforeApplicationShutdown(signal?: string): void {
    this.logger.info({ signal }, 'shutting down');
  }
}
