import type { ErrorDetail } from '@shop/contracts';

/**
 * The one error family of the system. Every error a client can see is an AppError: an HTTP
 * status, a stable machine code (what clients branch on) and a human sentence. Framework
 * adapters (the Express error middleware, the Nest filter) turn it into the envelope.
 */

export interface AppErrorOptions {
  code?: string;
  details?: ErrorDetail[];
  cause?: unknown;
  /** Extra headers the response must carry (e.g. Retry-After). */
  headers?: Record<string, string>;
}

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details?: ErrorDetail[];
  readonly headers?: Record<string, string>;

  constructor(status: number, code: string, message: string, options: Omit<AppErrorOptions, 'code'> = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.details = options.details;
    this.headers = options.headers;
  }

  /** True for errors that are the client's to fix (4xx); false for our or a dependency's fault. */
  get isClientError(): boolean {
    return this.status >= 400 && this.status < 500;
  }
}

export class ValidationError extends AppError {
  constructor(message = 'The request is invalid', options: AppErrorOptions = {}) {
    super(400, options.code ?? 'VALIDATION_FAILED', message, options);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication is required', options: AppErrorOptions = {}) {
    super(401, options.code ?? 'UNAUTHORIZED', message, options);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You are not allowed to do this', options: AppErrorOptions = {}) {
    super(403, options.code ?? 'FORBIDDEN', message, options);
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Not found', options: AppErrorOptions = {}) {
    super(404, options.code ?? 'NOT_FOUND', message, options);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super(409, options.code ?? 'CONFLICT', message, options);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message = 'The request body is too large', options: AppErrorOptions = {}) {
    super(413, options.code ?? 'PAYLOAD_TOO_LARGE', message, options);
  }
}

export class UnprocessableError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super(422, options.code ?? 'UNPROCESSABLE', message, options);
  }
}

export class RateLimitedError extends AppError {
  constructor(message = 'Too many requests, try again later', retryAfterSeconds?: number, options: AppErrorOptions = {}) {
    super(429, options.code ?? 'RATE_LIMITED', message, {
      ...options,
      headers: retryAfterSeconds === undefined ? options.headers : { ...options.headers, 'Retry-After': String(retryAfterSeconds) },
    });
  }
}

export interface DependencyErrorOptions extends AppErrorOptions {
  /**
   * Whether the failed request may have reached the service it was for (default true: unless
   * the caller knows no byte of it left, the target may have acted on it).
   */
  mayHaveReachedTarget?: boolean;
}

/** A service we depend on is down, refused the connection, or its circuit breaker is open. */
export class ServiceUnavailableError extends AppError {
  /** False only when the request certainly never reached the target (refused connection, open circuit): nothing to undo there. */
  readonly mayHaveReachedTarget: boolean;

  constructor(
    readonly service: string,
    message = `The ${service} is unavailable, try again shortly`,
    options: DependencyErrorOptions = {},
  ) {
    super(503, options.code ?? 'SERVICE_UNAVAILABLE', message, { ...options, headers: { 'Retry-After': '5', ...options.headers } });
    this.mayHaveReachedTarget = options.mayHaveReachedTarget ?? true;
  }
}

/** A service we depend on did not answer within our timeout. */
export class ServiceTimeoutError extends AppError {
  /** A timed-out request may have arrived and done its work; the caller must not assume either. */
  readonly mayHaveReachedTarget: boolean;

  constructor(
    readonly service: string,
    message = `The ${service} did not answer in time`,
    options: DependencyErrorOptions = {},
  ) {
    super(504, options.code ?? 'SERVICE_TIMEOUT', message, options);
    this.mayHaveReachedTarget = options.mayHaveReachedTarget ?? true;
  }
}

/** A service we depend on failed (5xx), answered garbage, or refused our own credentials. */
export class BadGatewayError extends AppError {
  readonly mayHaveReachedTarget: boolean;

  constructor(
    readonly service: string,
    message = `The ${service} failed to handle the request`,
    options: DependencyErrorOptions = {},
  ) {
    super(502, options.code ?? 'UPSTREAM_ERROR', message, options);
    this.mayHaveReachedTarget = options.mayHaveReachedTarget ?? true;
  }
}

/**
 * A dependency answered with a 4xx error envelope. Its status, code and message are kept so
 * that the caller can pass a business rejection (e.g. 409 INSUFFICIENT_STOCK) straight on.
 */
export class UpstreamRejectionError extends AppError {
  /** The target answered, so the request reached it; it refused, so it did nothing. */
  readonly mayHaveReachedTarget = true;

  constructor(
    readonly service: string,
    status: number,
    code: string,
    message: string,
    options: Omit<AppErrorOptions, 'code'> = {},
  ) {
    super(status, code, message, options);
  }
}

/**
 * Whether a failed call to another service may have reached it, read from the error or, when a
 * caller wrapped it, from the first error down its `cause` chain that says. An error that says
 * nothing (not a call's) answers true: only a certain "never sent" lets a caller skip an undo.
 */
export function mayHaveReachedTarget(err: unknown): boolean {
  for (
    let e: unknown = err, depth = 0;
    typeof e === 'object' && e !== null && depth < 10;
    e = (e as { cause?: unknown }).cause, depth += 1
  ) {
    const said = (e as { mayHaveReachedTarget?: unknown }).mayHaveReachedTarget;
    if (typeof said === 'boolean') return said;
  }
  return true;
}

export class InternalError extends AppError {
  constructor(message = 'Internal server error', options: AppErrorOptions = {}) {
    super(500, options.code ?? 'INTERNAL_ERROR', message, options);
  }
}

/** The path exists, the method does not: `allowed` goes into the `Allow` header (RFC 9110 §15.5.6). */
export class MethodNotAllowedError extends AppError {
  constructor(method: string, path: string, allowed: readonly string[]) {
    super(405, 'METHOD_NOT_ALLOWED', `${path} does not take ${method}; it takes ${allowed.join(', ')}`, {
      headers: { Allow: allowed.join(', ') },
    });
  }
}
