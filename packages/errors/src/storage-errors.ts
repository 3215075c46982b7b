import { AppError, ServiceUnavailableError } from './app-error';

/** A service's own database, as its outage is reported: `The order database (PostgreSQL) is unavailable`. */
export interface StorageName {
  /** e.g. `order database` */
  name: string;
  engine: 'PostgreSQL' | 'MongoDB';
}

/** SQLSTATE classes and codes that mean the server is not there for us (not that the query is wrong). */
const PG_UNAVAILABLE_CODES = new Set([
  '57P01', // admin_shutdown: the server is shutting down, or our backend was terminated
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or in recovery
  '53300', // too_many_connections
]);
/** Class 08: connection exception (08000, 08003, 08006, ...). */
const PG_CONNECTION_CLASS = /^08[0-9A-Z]{3}$/;

/** Socket-level failures, from node-postgres and the MongoDB driver alike. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/**
 * The MongoDB driver's and mongoose's names for "no server to talk to", and for an operation cut
 * short because the client was closed under it: the MongoDB watchdog closes and opens a stuck
 * connection, and what was in flight then fails with the client, its pool or its implicit
 * session closed (measured with the driver against the server: database.spec.ts in the User service).
 */
const MONGO_UNAVAILABLE_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoServerClosedError',
  'MongoPoolClearedError',
  'PoolClearedOnNetworkError',
  'MongoClientClosedError',
  'MongoPoolClosedError',
  // Our code opens no explicit sessions: an ended session is the driver's implicit one, ended by close().
  'MongoExpiredSessionError',
]);

/** node-postgres, pg-pool and TypeORM say these in words only (no code). */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/, // pg: the server closed the socket (restart, pg_terminate_backend)
  /timeout exceeded when trying to connect/, // pg-pool: no connection within connectionTimeoutMillis
  /Client has encountered a connection error and is not queryable/,
  /Connection is not established/i, // TypeORM before the pool is up
  /buffering timed out after/, // mongoose: a command waited for a connection that never came back
  /^Connection was force closed$/, // mongoose: a command on a connection closed with force
  // FerretDB passes on its own PostgreSQL's state in words, as a MongoServerError.
  /the database system is (starting up|shutting down|in recovery mode)|not yet accepting connections/,
];

interface Inspectable {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
  reason?: unknown;
  errorResponse?: unknown;
}

function isUnavailable(err: unknown, depth = 0): boolean {
  if (depth > 5 || typeof err !== 'object' || err === null) return false;
  const e = err as Inspectable;
  if (typeof e.name === 'string' && MONGO_UNAVAILABLE_NAMES.has(e.name)) return true;
  if (typeof e.code === 'string') {
    if (PG_UNAVAILABLE_CODES.has(e.code) || NETWORK_CODES.has(e.code)) return true;
    if (PG_CONNECTION_CLASS.test(e.code)) return true;
  }
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(e.message as string))) return true;
  // TypeORM wraps the driver's error; Node and the drivers chain causes; the MongoDB driver's
  // bulk-write error holds a connection lost mid-write in `errorResponse`.
  return [e.driverError, e.cause, e.reason, e.errorResponse].some((inner) => inner !== err && isUnavailable(inner, depth + 1));
}

/**
 * The one translation of storage errors: an error that means the service's own database is
 * unreachable (refused or dropped connections, pool timeouts, a server shutting down or
 * starting, the MongoDB driver finding no server) becomes 503 DATABASE_UNAVAILABLE naming the
 * database, with Retry-After. Anything else (a constraint, a bad query: our bug) is left alone
 * and returns undefined, and so is an AppError, which already says what failed. Used by express-kit's error handler and nest-kit's exception filter.
 */
export function storageUnavailable(err: unknown, storage: StorageName): ServiceUnavailableError | undefined {
  // Already ours (e.g. a called service is down: its ECONNREFUSED is in the cause, not our database's).
  if (err instanceof AppError || !isUnavailable(err)) return undefined;
  return new ServiceUnavailableError(`${storage.name} (${storage.engine})`, `The ${storage.name} (${storage.engine}) is unavailable`, {
    code: 'DATABASE_UNAVAILABLE',
    cause: err,
  });
}

/**
 * The SQLSTATEs the services react to, translated here once
 * (https://www.postgresql.org/docs/current/errcodes-appendix.html).
 */
const SQLSTATE = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  lockNotAvailable: '55P03',
} as const;
const SQLSTATE_FORMAT = /^[0-9A-Z]{5}$/;

/** What PostgreSQL said of a refused statement: its SQLSTATE, the constraint it broke, its DETAIL. */
export interface PostgresRefusal {
  code: string;
  constraint?: string;
  detail?: string;
}

/**
 * The PostgreSQL server's own answer inside a driver or TypeORM error (`driverError`), or
 * undefined when there is none (a lost connection, not a database error at all).
 */
export function postgresRefusal(err: unknown): PostgresRefusal | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  // TypeORM's QueryFailedError holds it in driverError; node-postgres throws it as a DatabaseError.
  const inner = (err as Inspectable).driverError ?? ((err as Inspectable).name === 'DatabaseError' ? err : undefined);
  if (typeof inner !== 'object' || inner === null) return undefined;
  const e = inner as { code?: unknown; constraint?: unknown; detail?: unknown };
  if (typeof e.code !== 'string' || !SQLSTATE_FORMAT.test(e.code)) return undefined;
  return {
    code: e.code,
    constraint: typeof e.constraint === 'string' ? e.constraint : undefined,
    detail: typeof e.detail === 'string' ? e.detail : undefined,
  };
}

/** True when `err` broke the named unique constraint (or any, without a name). */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  return isRefusal(err, SQLSTATE.uniqueViolation, constraint);
}

/** True when `err` broke the named foreign key (or any, without a name). */
export function isForeignKeyViolation(err: unknown, constraint?: string): boolean {
  return isRefusal(err, SQLSTATE.foreignKeyViolation, constraint);
}

/** lock_timeout ran out waiting for a row lock. */
export function isLockNotAvailable(err: unknown): boolean {
  return isRefusal(err, SQLSTATE.lockNotAvailable);
}

/**
 * The server refused the statement (it answered with a SQLSTATE outside class 08): it rolled
 * back, so nothing of it committed. A lost connection answers false: the COMMIT may have happened.
 */
export function isRefusedStatement(err: unknown): boolean {
  const refusal = postgresRefusal(err);
  return refusal !== undefined && !PG_CONNECTION_CLASS.test(refusal.code);
}

function isRefusal(err: unknown, code: string, constraint?: string): boolean {
  const refusal = postgresRefusal(err);
  return refusal?.code === code && (constraint === undefined || refusal.constraint === constraint);
}

/** MongoDB's (and FerretDB's) code for an insert a unique index refused. */
const MONGO_DUPLICATE_KEY = 11000;

/** A unique index refused the write: on MongoDB and FerretDB alike, the one race-free check-and-set. */
export function isMongoDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === MONGO_DUPLICATE_KEY;
}
