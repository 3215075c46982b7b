import { DynamicModule, Module, OnApplicationShutdown } from '@nestjs/common';
import { createUserServiceClient, UserServiceClient } from '@shop/service-client';
import { AppDeps } from '../app.deps';
import { TokenVerifier } from './token-verifier';

@Module({})
export class AuthModule implements OnApplicationShutdown {
  static forRoot({ config, logger, metrics }: AppDeps): DynamicModule {
    const userService = createUserServiceClient(
      config.USER_SERVICE_URL,
      { internalApiKey: config.INTERNAL_API_KEY, timeoutMs: config.SERVICE_TIMEOUT_MS, logger, metrics },
      { tokenCacheTtlMs: config.TOKEN_CACHE_TTL_MS },
    );
    return {
      module: AuthModule,
      providers: [{ provide: UserServiceClient, useValue: userService }, TokenVerifier],
      exports: [TokenVerifier],
    };
  }

  constructor(private readonly userService: UserServiceClient) {}

  onApplicationShutdown(): void {
    this.userService.http.close();
  }
}
