import type { Clock } from '../order.ports';

/** Time that moves only when told, or when a use case sleeps: waits and deadlines decide nothing by the wall clock. */
export class FakeClock implements Clock {
  constructor(private current = Date.parse('2026-01-01T12:00:00Z')) {}

  now(): number {
    return this.current;
  }

  async sleep(ms: number): Promise<void> {
    this.current += ms;
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
