import { createHash } from 'node:crypto';
import { UnauthorizedError, UpstreamRejectionError } from '@shop/errors';
import { HttpServiceClient } from './http-service-client';
import { TokenValidation, UserDto } from '@shop/contracts';

export interface UserServiceClientOptions {
  /**
   * How long a successful token validation is reused (never past the token's expiry). Keeps the
   * User service's database off the hot path of every order; 0 turns caching off.
   */
  tokenCacheTtlMs?: number;
  tokenCacheMaxEntries?: number;
}

export class UserServiceClient {
  private readonly tokenCache = new Map<string, { value: TokenValidation; until: number }>();
  /** Validations under way: concurrent requests with one token share a single call. */
  private readonly inFlight = new Map<string, Promise<TokenValidation>>();

  constructor(
    readonly http: HttpServiceClient,
    private readonly options: UserServiceClientOptions = {},
  ) {}

  /** `GET /api/users/internal/:userId`: the user with contact details (email, phone). */
  getUser(userId: string): Promise<UserDto> {
    return this.http
      .call<{ user: UserDto }>({ method: 'GET', path: `/api/users/internal/${encodeURIComponent(userId)}` })
      .then((d) => d.user);
  }

  /**
   * `POST /api/users/internal/validate-token`: the user behind a bearer token. A token the User
   * service refuses comes out as our own 401, whatever the reason it gave.
   */
  async validateToken(token: string): Promise<TokenValidation> {
    const ttl = this.options.tokenCacheTtlMs ?? 0;
    if (ttl <= 0) return this.fetchValidation(token);
    const key = createHash('sha256').update(token).digest('base64url');
    const hit = this.tokenCache.get(key);
    if (hit && hit.until > Date.now()) return hit.value;
    if (hit) this.tokenCache.delete(key);
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const call = this.fetchValidation(token)
      .then((result) => {
        this.remember(key, result, ttl);
        return result;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, call);
    return call;
  }

  private async fetchValidation(token: string): Promise<TokenValidation> {
    try {
      // Validation only reads: safe to retry although it is a POST (the token stays out of URLs and logs).
      return await this.http.call<TokenValidation>({
        method: 'POST',
        path: '/api/users/internal/validate-token',
        body: { token },
        idempotencyKey: 'validate-token',
      });
    } catch (err) {
      if (err instanceof UpstreamRejectionError && (err.status === 401 || err.status === 404)) {
        throw new UnauthorizedError('The token is invalid or expired', { code: 'INVALID_TOKEN' });
      }
      throw err;
    }
  }

  private remember(key: string, value: TokenValidation, ttl: number): void {
    const expiry = value.expiresAt ? Date.parse(value.expiresAt) : Number.POSITIVE_INFINITY;
    const until = Math.min(Date.now() + ttl, expiry);
    if (this.tokenCache.size >= (this.options.tokenCacheMaxEntries ?? 10_000)) {
      // Maps iterate in insertion order: dropping the first entry drops the oldest.
      const oldest = this.tokenCache.keys().next().value;
      if (oldest !== undefined) this.tokenCache.delete(oldest);
    }
    this.tokenCache.set(key, { value, until });
  }
}
