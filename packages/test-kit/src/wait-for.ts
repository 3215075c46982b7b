/** Conditions that no further polling can cure (a service process died): see `failFast`. */
const fatalConditions = new Set<() => Error | undefined>();

/**
 * Registers a condition that ends every `waitFor` (and `countAfterSettling`) at once with its
 * error, instead of letting the wait run to its timeout and report whatever symptom came last
 * (an ECONNREFUSED on a dead service's port). Returns the function that removes it.
 */
export function failFast(condition: () => Error | undefined): () => void {
  fatalConditions.add(condition);
  return () => fatalConditions.delete(condition);
}

/** The first registered fatal condition that holds, if any. */
export function fatalCondition(): Error | undefined {
  for (const condition of fatalConditions) {
    const error = condition();
    if (error) return error;
  }
  return undefined;
}

function throwIfFatal(): void {
  const error = fatalCondition();
  if (error) throw error;
}

/**
 * Polls until `check` returns a value that is not undefined/false, or fails after `timeoutMs`
 * with the last error; a `failFast` condition that holds ends it at once. For outcomes that happen eventually (a queued email, a relayed outbox
 * row); it bounds the wait, it does not measure speed.
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let lastError: unknown;
  for (;;) {
    throwIfFatal();
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      throwIfFatal();
      lastError = err;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`Timed out waiting for ${options.what ?? 'condition'}${reason}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
}

/**
 * For "exactly once": waits until `count()` is at least 1, then keeps watching for `settleMs`
 * (choose it longer than any retry, backoff or lease that could still produce a duplicate) and
 * returns the count: 1 unless a duplicate showed up, which ends the watch at once.
 */
export async function countAfterSettling(
  count: () => Promise<number> | number,
  options: { settleMs: number; timeoutMs?: number; intervalMs?: number; what?: string },
): Promise<number> {
  await waitFor(async () => (await count()) >= 1, options);
  const until = Date.now() + options.settleMs;
  for (;;) {
    throwIfFatal();
    const seen = await count();
    if (seen > 1 || Date.now() >= until) return seen;
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
}
