import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CoreModule } from '@shop/nest-kit';
import { Logger, Metrics } from '@shop/observability';
import { UserServiceClient } from '@shop/service-client';
import { ProductServiceConfig } from './config';
import { CategoriesModule } from './categories/categories.module';
import { typeOrmOptions } from './database/typeorm-options';
import { ProductsModule } from './products/products.module';
import { ReservationsModule } from './reservations/reservations.module';

/** What main.ts (or a test) hands to the app: nothing in the app reads the environment itself. */
export interface AppDeps {
  config: ProductServiceConfig;
  logger: Logger;
  metrics: Metrics;
}

@Module({})
export class AppModule {
  /** The whole service, built from what main.ts (or a test) passes in. */
  static forRoot(deps: AppDeps, userService: UserServiceClient): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot({ ...deps, userService }),
        TypeOrmModule.forRoot(typeOrmOptions(deps.config)),
        CategoriesModule,
        ProductsModule,
        ReservationsModule,
      ],
    };
  }
}
