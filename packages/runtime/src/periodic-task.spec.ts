import { Writable } from 'node:stream';
import pino from 'pino';
import { waitFor } from '@shop/test-kit';
import { PeriodicTask } from './periodic-task';

describe('PeriodicTask', () => {
  const warnings: string[] = [];
  const logger = pino(
    { level: 'warn' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        warnings.push(chunk.toString());
        done();
      },
    }),
  );

  it('schedules nothing until start(), then runs again and again, never two runs at once', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const task = new PeriodicTask(
      async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise((resolve) => setTimeout(resolve, 5));
        active--;
        runs++;
      },
      { name: 'counter', intervalMs: 2, logger },
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(runs).toBe(0);
    task.start();
    await waitFor(async () => runs >= 3, { what: 'three runs' });
    await task.stop();
    expect(maxActive).toBe(1);
  });

  it('logs a failed run and tries again at the next interval', async () => {
    let attempts = 0;
    const task = new PeriodicTask(
      async () => {
        attempts++;
        if (attempts === 1) throw new Error('database away');
        return attempts;
      },
      { name: 'flaky sweep', intervalMs: 2, runAtStart: true, logger },
    );
    task.start();
    await waitFor(async () => attempts >= 2, { what: 'a second attempt' });
    await task.stop();
    expect(warnings.join('')).toMatch(/flaky sweep failed.*database away|database away.*flaky sweep failed/s);
  });

  it('stop() waits for the run in flight, and no run follows it', async () => {
    let finished = 0;
    let release!: () => void;
    const task = new PeriodicTask(
      () =>
        new Promise<void>((resolve) => {
          release = () => {
            finished++;
            resolve();
          };
        }),
      { name: 'slow', intervalMs: 1, runAtStart: true, logger },
    );
    task.start();
    await waitFor(async () => release !== undefined, { what: 'the first run to start' });
    const stopped = task.stop();
    let stopResolved = false;
    void stopped.then(() => (stopResolved = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopResolved).toBe(false);
    release();
    await stopped;
    expect(finished).toBe(1);
    expect(task.started).toBe(false);
  });

  it('runOnce joins the run in flight instead of starting a second one', async () => {
    let runs = 0;
    const task = new PeriodicTask(async () => ++runs, { name: 'join', intervalMs: 1000, logger });
    const [a, b] = await Promise.all([task.runOnce(), task.runOnce()]);
    expect([a, b, runs]).toEqual([1, 1, 1]);
  });
});
