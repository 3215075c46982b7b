const DUPLICATE_KEY = 11000;

/** A unique index refused the insert: on MongoDB and FerretDB alike, the one race-free check-and-set. */
export const isDuplicateKeyError = (err: unknown): boolean => (err as { code?: unknown })?.code === DUPLICATE_KEY;
