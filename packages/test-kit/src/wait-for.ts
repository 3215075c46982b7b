/**
 * Polls until `check` returns a value that is not undefined/false, or fails after `timeoutMs`
 * with the last error. For outcomes that happen eventually (a queued email, a relayed outbox
 * row); it bounds the wait, it does not measure speed.
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
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
    const seen = await count();
    if (seen > 1 || Date.now() >= until) return seen;
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 100));
  }
}
