import { BeforeApplicationShutdown, DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { AuthenticatedUser } from '@shop/internal-auth';
import { Logger, Metrics } from '@shop/observability';

/** Injection tokens of what a Nest service receives from main.ts (or a test) instead of building it. */
export const APP_CONFIG = Symbol('APP_CONFIG');
export const APP_LOGGER = Symbol('APP_LOGGER');
export const APP_METRICS = Symbol('APP_METRICS');
export const USER_SERVICE = Symbol('USER_SERVICE');

/** What nest-kit needs of the User service client (`UserServiceClient` of @shop/service-client). */
export interface TokenCheckingClient {
  validateToken(token: string): Promise<{ user: AuthenticatedUser }>;
  http: { close(): void };
}

export interface CoreDeps<Config, UserService extends TokenCheckingClient = TokenCheckingClient> {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  /** Checks bearer tokens (its answers cached for TOKEN_CACHE_TTL_MS); closed with the app. */
  userService: UserService;
}

/**
 * Resolves a bearer token to its user through the User service. No Nest service reads the User
 * service's database or its JWT secret. Used by the access guard (configureNestApp's verifyToken).
 */
@Injectable()
export class TokenVerifier {
  constructor(@Inject(USER_SERVICE) private readonly users: TokenCheckingClient) {}

  async verify(token: string): Promise<AuthenticatedUser> {
    const { user } = await this.users.validateToken(token);
    return {
      id: user.id,
      email: user.email,
      role: user.role,
      firstName: user.firstName,
      lastName: user.lastName,
      phone: user.phone ?? null,
    };
  }
}

/**
 * The one global module of a Nest service: its config, logger, metrics and User service client
 * are injectable everywhere (`@Inject(APP_LOGGER)`), with the TokenVerifier. Logs the shutdown
 * and closes the client's keep-alive sockets, which would otherwise hold the process open.
 */
@Global()
@Module({})
export class CoreModule implements BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    @Inject(APP_LOGGER) private readonly logger: Logger,
    @Inject(USER_SERVICE) private readonly userService: TokenCheckingClient,
  ) {}

  static forRoot<Config>(deps: CoreDeps<Config>): DynamicModule {
    const providers = [
      { provide: APP_CONFIG, useValue: deps.config },
      { provide: APP_LOGGER, useValue: deps.logger },
      { provide: APP_METRICS, useValue: deps.metrics },
      { provide: USER_SERVICE, useValue: deps.userService },
      TokenVerifier,
    ];
    return { module: CoreModule, providers, exports: providers };
  }

  /** Background work has stopped (onModuleDestroy); next the server closes, then the storage. */
  beforeApplicationShutdown(signal?: string): void {
    this.logger.info({ signal }, 'shutting down');
  }

  onApplicationShutdown(): void {
    this.userService.http.close();
    this.logger.info('stopped');
  }
}
