import http from 'node:http';
import https from 'node:https';
import axios, { AxiosInstance, AxiosResponse } from 'axios';
import {
  BrokenCircuitError,
  circuitBreaker,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhen,
  IPolicy,
  retry,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
} from 'cockatiel';
import {
  AppError,
  BadGatewayError,
  mayHaveReachedTarget,
  ServiceTimeoutError,
  ServiceUnavailableError,
  UpstreamRejectionError,
} from '@shop/errors';
import { ErrorDetail } from '@shop/contracts';
import { IDEMPOTENCY_KEY_HEADER, INTERNAL_KEY_HEADER, REQUEST_ID_HEADER } from '@shop/internal-auth';
import { CIRCUIT_STATES, createSilentLogger, getRequestId, Logger, Metrics } from '@shop/observability';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The retries of an idempotent call unless ServiceClientOptions.retry says otherwise. */
export const DEFAULT_RETRY = { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 1_000 } as const;

/**
 * The longest one idempotent call can take: every attempt at full timeout, plus the most backoff
 * between them. Callers size their leases and give-up times on it, so it follows the defaults.
 */
export function longestCallMs(timeoutMs: number, retry: { maxAttempts: number; maxDelayMs: number } = DEFAULT_RETRY): number {
  return retry.maxAttempts * timeoutMs + (retry.maxAttempts - 1) * retry.maxDelayMs;
}

export interface ServiceClientOptions {
  /** Machine name for logs and metrics, e.g. `product-service`. */
  service: string;
  /** Name used in error messages a client may read, e.g. `Product service`. */
  displayName: string;
  baseURL: string;
  /** Sent as X-Internal-Key on internal calls (the first key of INTERNAL_API_KEY). */
  internalKey?: string;
  /** Per attempt. */
  timeoutMs?: number;
  retry?: { maxAttempts?: number; initialDelayMs?: number; maxDelayMs?: number };
  breaker?: { consecutiveFailures?: number; halfOpenAfterMs?: number };
  maxSockets?: number;
  logger?: Logger;
  metrics?: Metrics;
}

export interface CallOptions {
  method: HttpMethod;
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** The end user's bearer token: travels with this call only, never stored on the client. */
  token?: string;
  /** Send X-Internal-Key (default true). */
  internal?: boolean;
  /** Makes a POST/PATCH safe to retry: the target must treat repeats with this key as one. */
  idempotencyKey?: string;
  /** Defaults to the id of the request being handled (from the request context). */
  requestId?: string;
  /**
   * Whether a transient failure may be retried. By default GET/PUT/DELETE and calls with an
   * idempotency key are; set `false` for a call that must run at most once.
   */
  retry?: boolean;
}

const IDEMPOTENT_METHODS: ReadonlySet<HttpMethod> = new Set(['GET', 'PUT', 'DELETE']);

/** Failures that say nothing about the request itself: worth a retry and counted by the breaker. */
const isTransient = (err: Error): boolean =>
  err instanceof ServiceUnavailableError ||
  err instanceof ServiceTimeoutError ||
  err instanceof BadGatewayError ||
  err instanceof TaskCancelledError;

/**
 * One resilient HTTP client for one target service. Every call gets a timeout, goes through the
 * target's circuit breaker, and — only when it is safe to repeat — is retried with exponential
 * backoff and jitter. Whatever goes wrong comes out as an AppError; callers never see axios.
 */
export class HttpServiceClient {
  private readonly http: AxiosInstance;
  private readonly logger: Logger;
  private readonly idempotentPolicy: IPolicy;
  private readonly singleShotPolicy: IPolicy;
  private readonly breaker;
  private readonly agents: { http: http.Agent; https: https.Agent };

  constructor(private readonly options: ServiceClientOptions) {
    this.logger = (options.logger ?? createSilentLogger()).child({ component: 'service-client', target: options.service });
    const maxSockets = options.maxSockets ?? 64;
    this.agents = {
      http: new http.Agent({ keepAlive: true, maxSockets }),
      https: new https.Agent({ keepAlive: true, maxSockets }),
    };
    this.http = axios.create({
      baseURL: options.baseURL,
      httpAgent: this.agents.http,
      httpsAgent: this.agents.https,
      validateStatus: () => true,
      maxRedirects: 0,
      // Calls between our services go straight to the target: no per-call proxy lookup in the environment (it showed in the order path's profile).
      proxy: false,
      headers: { Accept: 'application/json' },
    });

    const timeoutPolicy = timeout(options.timeoutMs ?? 3000, TimeoutStrategy.Aggressive);
    this.breaker = circuitBreaker(handleWhen(isTransient), {
      halfOpenAfter: options.breaker?.halfOpenAfterMs ?? 10_000,
      breaker: new ConsecutiveBreaker(options.breaker?.consecutiveFailures ?? 5),
    });
    this.breaker.onBreak(() => this.logger.warn('circuit opened: calls fail fast until a probe succeeds'));
    this.breaker.onHalfOpen(() => this.logger.info('circuit half-open: probing'));
    this.breaker.onReset(() => this.logger.info('circuit closed'));
    options.metrics?.trackCircuit(options.service, () => this.circuitState);
    const retryPolicy = retry(handleWhen(isTransient), {
      maxAttempts: (options.retry?.maxAttempts ?? DEFAULT_RETRY.maxAttempts) - 1,
      backoff: new ExponentialBackoff({
        initialDelay: options.retry?.initialDelayMs ?? DEFAULT_RETRY.initialDelayMs,
        maxDelay: options.retry?.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
      }),
    });
    this.idempotentPolicy = wrap(retryPolicy, this.breaker, timeoutPolicy);
    this.singleShotPolicy = wrap(this.breaker, timeoutPolicy);
  }

  get service(): string {
    return this.options.service;
  }

  /** `closed`, `open`, `halfOpen` or `isolated`: for readiness reports and tests. */
  get circuitState(): string {
    return CIRCUIT_STATES[this.breaker.state] ?? 'unknown';
  }

  /** Calls the target and returns the `data` of its success envelope. */
  async call<T>(options: CallOptions): Promise<T> {
    const retryable = options.retry ?? (IDEMPOTENT_METHODS.has(options.method) || options.idempotencyKey !== undefined);
    const policy = retryable ? this.idempotentPolicy : this.singleShotPolicy;
    const headers = this.headersFor(options);
    let mayHaveArrived = false;
    try {
      // A signal of its own per call: cockatiel hangs its abort listeners on it, and a shared
      // default signal would collect one listener per concurrent call.
      return await policy.execute(
        ({ signal }) =>
          this.attempt<T>(options, headers, signal).catch((err: unknown) => {
            if (mayHaveReachedTarget(err)) mayHaveArrived = true;
            throw err;
          }),
        new AbortController().signal,
      );
    } catch (err) {
      const appError = this.toAppError(err, options, mayHaveArrived);
      // The last attempt was refused its connection, but an earlier one may have got through.
      if (mayHaveArrived && !mayHaveReachedTarget(appError)) {
        throw new ServiceUnavailableError(this.options.service, appError.message, { cause: appError, mayHaveReachedTarget: true });
      }
      throw appError;
    }
  }

  /** Closes pooled keep-alive sockets (on shutdown). */
  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private headersFor(options: CallOptions): Record<string, string> {
    const headers: Record<string, string> = {};
    const requestId = options.requestId ?? getRequestId();
    if (requestId) headers[REQUEST_ID_HEADER] = requestId;
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if ((options.internal ?? true) && this.options.internalKey) headers[INTERNAL_KEY_HEADER] = this.options.internalKey;
    if (options.idempotencyKey) headers[IDEMPOTENCY_KEY_HEADER] = options.idempotencyKey;
    return headers;
  }

  private async attempt<T>(options: CallOptions, headers: Record<string, string>, signal: AbortSignal): Promise<T> {
    const started = performance.now();
    let outcome = 'error';
    try {
      let response: AxiosResponse;
      try {
        response = await this.http.request({
          method: options.method,
          url: options.path,
          params: options.query,
          data: options.body,
          headers,
          signal,
        });
      } catch (err) {
        if (signal.aborted) {
          outcome = 'timeout';
          throw new TaskCancelledError();
        }
        outcome = 'unavailable';
        throw new ServiceUnavailableError(
          this.options.service,
          `The ${this.options.displayName} is unavailable (${describeNetworkError(err)})`,
          {
            cause: err,
            // A refused connection carried nothing; a reset or a lookup failure mid-way may have.
            mayHaveReachedTarget: (err as { code?: string })?.code !== 'ECONNREFUSED',
          },
        );
      }
      outcome = String(response.status);
      return this.readEnvelope<T>(response);
    } finally {
      const seconds = (performance.now() - started) / 1000;
      this.options.metrics?.observeOutgoingCall(this.options.service, options.method, outcome, seconds);
      // A successful call is already in the metrics and in the caller's access line: only at
      // debug, so the hot paths write one line per request. A refusal (4xx) is the other
      // service's answer (info); no answer or a 5xx is a failure (warn).
      const level = /^2/.test(outcome) ? 'debug' : /^4/.test(outcome) ? 'info' : 'warn';
      this.logger[level](
        { method: options.method, path: options.path, status: outcome, durationMs: Math.round(seconds * 1000) },
        'service call',
      );
    }
  }

  private readEnvelope<T>(response: AxiosResponse): T {
    const body = response.data as { success?: boolean; data?: T; error?: string; code?: string; details?: ErrorDetail[] } | undefined;
    const isEnvelope = typeof body === 'object' && body !== null && typeof body.success === 'boolean';
    if (response.status >= 200 && response.status < 300 && isEnvelope && body.success) return body.data as T;
    const display = this.options.displayName;
    if (response.status >= 400 && response.status < 500 && isEnvelope) {
      // Our own credentials were refused: a misconfiguration between services, not the user's fault.
      if (body.code === 'INVALID_INTERNAL_KEY') {
        throw new BadGatewayError(this.options.service, `The ${display} refused this service's internal key`, {
          code: 'SERVICE_AUTH_FAILED',
        });
      }
      throw new UpstreamRejectionError(
        this.options.service,
        response.status,
        body.code ?? 'UPSTREAM_REJECTED',
        body.error ?? `${display} rejected the request`,
        {
          details: body.details,
        },
      );
    }
    if (response.status === 503) {
      throw new ServiceUnavailableError(this.options.service, `The ${display} is unavailable${body?.error ? `: ${body.error}` : ''}`);
    }
    if (response.status === 504)
      throw new ServiceTimeoutError(this.options.service, `The ${display} timed out${body?.error ? `: ${body.error}` : ''}`);
    throw new BadGatewayError(this.options.service, `The ${display} failed (HTTP ${response.status})`);
  }

  private toAppError(err: unknown, options: CallOptions, mayHaveArrived: boolean): AppError {
    if (err instanceof BrokenCircuitError) {
      return new ServiceUnavailableError(
        this.options.service,
        `The ${this.options.displayName} is unavailable (circuit open after repeated failures), try again shortly`,
        // The open circuit sent nothing; an attempt before it opened may have.
        { mayHaveReachedTarget: mayHaveArrived },
      );
    }
    if (err instanceof TaskCancelledError) {
      return new ServiceTimeoutError(
        this.options.service,
        `The ${this.options.displayName} did not answer ${options.method} ${options.path} in time`,
      );
    }
    if (err instanceof AppError) return err;
    return new BadGatewayError(this.options.service, `Calling the ${this.options.displayName} failed`, { cause: err });
  }
}

function describeNetworkError(err: unknown): string {
  const code = (err as { code?: string })?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'connection reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    default:
      return code ?? 'network error';
  }
}
