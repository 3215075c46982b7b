import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** `service_client_circuit_state` values: what a dashboard maps back to names. */
export const CIRCUIT_STATES = ['closed', 'open', 'halfOpen', 'isolated'] as const;

/**
 * Prometheus metrics of one service instance. Each app gets its own registry, so apps built in
 * the same process (tests) never clash over metric names.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status'>;
  readonly httpRequestsTotal: Counter<'method' | 'route' | 'status'>;
  readonly outgoingCallDuration: Histogram<'target' | 'method' | 'outcome'>;
  private readonly circuits = new Map<string, () => string>();

  constructor(
    readonly service: string,
    options: { defaultMetrics?: boolean } = {},
  ) {
    this.registry.setDefaultLabels({ service });
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.httpRequestDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Duration of HTTP requests handled, by route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.httpRequestsTotal = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests handled, by route template and status',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.outgoingCallDuration = new Histogram({
      name: 'service_client_call_duration_seconds',
      help: 'Duration of calls to other services, by target and outcome (HTTP status, timeout, unavailable, circuit_open)',
      labelNames: ['target', 'method', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
  }

  /**
   * `service_client_circuit_state{target}`: 0 closed, 1 open, 2 half-open, 3 isolated, read from
   * each target's breaker when /metrics is scraped.
   */
  trackCircuit(target: string, state: () => string): void {
    if (this.circuits.size === 0) {
      const circuits = this.circuits;
      new Gauge({
        name: 'service_client_circuit_state',
        help: 'Circuit breaker state per called service: 0 closed, 1 open, 2 half-open, 3 isolated',
        labelNames: ['target'],
        registers: [this.registry],
        collect() {
          for (const [name, read] of circuits)
            this.set({ target: name }, CIRCUIT_STATES.indexOf(read() as (typeof CIRCUIT_STATES)[number]));
        },
      });
    }
    this.circuits.set(target, state);
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.httpRequestDuration.observe(labels, seconds);
    this.httpRequestsTotal.inc(labels);
  }

  observeOutgoingCall(target: string, method: string, outcome: string, seconds: number): void {
    this.outgoingCallDuration.observe({ target, method, outcome }, seconds);
  }

  contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
