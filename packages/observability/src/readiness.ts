/** A dependency check: resolves when the dependency answers, throws (or times out) when not. */
export type ReadinessCheck = () => Promise<unknown>;

export interface DependencyStatus {
  status: 'up' | 'down';
  /** Whether this dependency being down makes the instance not ready (503). */
  required: boolean;
  durationMs: number;
  error?: string;
}

export interface ReadinessReport {
  /** `not_ready` only when a required dependency (the service's own storage) is down. */
  status: 'ready' | 'not_ready';
  /** True when some dependency is down, required or not. */
  degraded: boolean;
  checks: Record<string, DependencyStatus>;
}

export interface ReadinessChecks {
  /** The service's own storage: without it the instance cannot serve, so it is not ready. */
  required: Record<string, ReadinessCheck>;
  /**
   * Services it calls: reported, but they never make this instance unready. Were they to, an
   * outage of one service would pull every caller out of its load balancer, and callers could
   * no longer answer the clear 503 naming the service that is down (a cascading failure).
   */
  reported?: Record<string, ReadinessCheck>;
}

/** Runs every check at once, each bounded by `timeoutMs`, and reports each dependency by name. */
export async function checkReadiness(checks: ReadinessChecks, timeoutMs = 2000): Promise<ReadinessReport> {
  const all = [
    ...Object.entries(checks.required).map(([name, check]) => [name, check, true] as const),
    ...Object.entries(checks.reported ?? {}).map(([name, check]) => [name, check, false] as const),
  ];
  const entries = await Promise.all(
    all.map(async ([name, check, required]): Promise<[string, DependencyStatus]> => {
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          check(),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
        return [name, { status: 'up', required, durationMs: Math.round(performance.now() - started) }];
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        return [name, { status: 'down', required, durationMs: Math.round(performance.now() - started), error }];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const down = entries.filter(([, s]) => s.status === 'down');
  return {
    status: down.some(([, s]) => s.required) ? 'not_ready' : 'ready',
    degraded: down.length > 0,
    checks: Object.fromEntries(entries),
  };
}

/** A check that another service's liveness endpoint (`GET <baseUrl>/health`) answers 2xx. */
export function httpHealthCheck(baseUrl: string, timeoutMs = 1000): ReadinessCheck {
  const url = new URL('/health', baseUrl);
  return async () => {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`GET /health answered ${response.status}`);
  };
}
