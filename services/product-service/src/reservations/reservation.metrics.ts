import { Counter } from 'prom-client';
import type { Metrics } from '@shop/observability';

/** `reservation_sweeps_total{outcome}` and `reservations_expired_total`: what the expiry sweeper did. */
export function reservationSweepMetrics(metrics: Metrics) {
  return {
    sweeps: new Counter({
      name: 'reservation_sweeps_total',
      help: 'Reservation expiry sweeps, by outcome (ok, error)',
      labelNames: ['outcome'],
      registers: [metrics.registry],
    }),
    expired: new Counter({
      name: 'reservations_expired_total',
      help: 'Reservations expired by the sweeper, their stock returned',
      registers: [metrics.registry],
    }),
  };
}
