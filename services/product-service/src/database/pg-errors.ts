import { QueryFailedError } from 'typeorm';

/** SQLSTATE codes this service reacts to (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

interface PgError {
  code?: string;
  constraint?: string;
}

function pgError(err: unknown): PgError | undefined {
  return err instanceof QueryFailedError ? (err.driverError as PgError) : undefined;
}

/** True when `err` broke the named unique constraint (or any, without a name). */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = pgError(err);
  return e?.code === UNIQUE_VIOLATION && (constraint === undefined || e.constraint === constraint);
}

/** True when `err` broke the named foreign key (or any, without a name). */
export function isForeignKeyViolation(err: unknown, constraint?: string): boolean {
  const e = pgError(err);
  return e?.code === FOREIGN_KEY_VIOLATION && (constraint === undefined || e.constraint === constraint);
}
