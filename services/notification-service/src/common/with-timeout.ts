/**
 * Waits for `promise` at most `ms`. On timeout the promise keeps running (its later rejection is
 * swallowed): use it where giving up waiting is safe, such as a job add that is idempotent.
 */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          promise.catch(() => undefined);
          reject(new Error(`${what}: no answer within ${ms} ms`));
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
