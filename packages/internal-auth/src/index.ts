export * from './caller';
import { createHash, timingSafeEqual } from 'node:crypto';

export const INTERNAL_KEY_HEADER = 'x-internal-key';
export const REQUEST_ID_HEADER = 'x-request-id';
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** `INTERNAL_API_KEY` may hold several comma-separated keys so a key can be rotated without downtime. */
export function parseInternalKeys(value: string): string[] {
  return value
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k.length > 0);
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Compares in constant time against every accepted key (hashing first so lengths never leak,
 * and never stopping early so the position of the matching key does not leak either).
 */
export function isInternalKeyValid(provided: string | undefined | null, accepted: readonly string[]): boolean {
  if (typeof provided !== 'string' || provided.length === 0 || accepted.length === 0) return false;
  const given = digest(provided);
  let matched = false;
  for (const key of accepted) {
    if (timingSafeEqual(given, digest(key))) matched = true;
  }
  return matched;
}
