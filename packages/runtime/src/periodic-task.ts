import type { Logger } from 'pino';

export interface PeriodicTaskOptions {
  /** Names the task in its log lines. */
  name: string;
  /** The pause between the end of one run and the start of the next. */
  intervalMs: number;
  /**
   * Each pause is drawn from intervalMs × (1 ± jitter), so that replicas started together do
   * not all hit the database at the same instant. 0 to 1; default 0.1.
   */
  jitter?: number;
  /** Run once right at start() instead of after the first pause. */
  runAtStart?: boolean;
  logger: Logger;
}

/**
 * A job repeated in the background: runs never overlap (the next pause starts when a run ends),
 * a failed run is logged and the next one tries again, the timer never holds the process open
 * (unref), and stop() waits for the run in flight. Nothing starts before start(): building one
 * schedules nothing.
 */
export class PeriodicTask<T = unknown> {
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<T>;
  private running = false;

  constructor(
    private readonly run: () => Promise<T>,
    private readonly options: PeriodicTaskOptions,
  ) {
    const jitter = options.jitter ?? 0.1;
    if (!(options.intervalMs > 0) || jitter < 0 || jitter > 1) {
      throw new RangeError(`${options.name}: intervalMs must be positive and jitter within 0..1`);
    }
  }

  get started(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(this.options.runAtStart ? 0 : this.nextPause());
  }

  /** No further runs; resolves once the run in flight (if any) has finished. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight?.catch(() => undefined);
  }

  /** Runs now, or joins the run already in flight; a failure rejects (the caller sees it). */
  runOnce(): Promise<T> {
    this.inFlight ??= this.run().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.runOnce()
        .catch((err: unknown) =>
          this.options.logger.warn({ err, task: this.options.name }, `${this.options.name} failed; trying again later`),
        )
        .finally(() => this.schedule(this.nextPause()));
    }, delayMs);
    this.timer.unref();
  }

  private nextPause(): number {
    const jitter = this.options.jitter ?? 0.1;
    return Math.max(1, Math.round(this.options.intervalMs * (1 + jitter * (2 * Math.random() - 1))));
  }
}
