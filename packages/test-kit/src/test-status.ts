/** The part of jest-circus's state this reads: the test running now and the errors it has so far. */
interface CircusState {
  currentlyRunningTest?: { errors: unknown[] } | null;
}

/**
 * Whether the test running now has failed so far: true in an `afterEach` after a failed
 * assertion or a thrown error. jest offers no API for it; jest-circus keeps its state on the
 * test environment's global under a private symbol, found here by its description. Outside
 * jest-circus (or should that change) it answers undefined: callers then treat the test as failed
 * if they have any other sign of trouble, and never hide logs on the strength of it.
 */
export function currentTestFailed(): boolean | undefined {
  const symbol = Object.getOwnPropertySymbols(globalThis).find((s) => s.description === 'JEST_STATE_SYMBOL');
  if (!symbol) return undefined;
  const state = (globalThis as unknown as Record<symbol, CircusState | undefined>)[symbol];
  const test = state?.currentlyRunningTest;
  return test ? test.errors.length > 0 : undefined;
}
