import { Writable } from 'node:stream';
import pino from 'pino';
import { installProcessHandlers } from './process-handlers';

/** The listener installProcessHandlers added last, called directly (emitting would reach jest's own listeners too). */
const lastListener = (event: 'uncaughtException' | 'unhandledRejection') =>
  (event === 'uncaughtException' ? process.listeners('uncaughtException') : process.listeners('unhandledRejection')).at(-1) as (
    err: unknown,
  ) => void;

describe('installProcessHandlers', () => {
  let lines: Array<Record<string, unknown>>;
  let exitCodes: number[];
  let uninstall: () => void;

  beforeEach(() => {
    lines = [];
    exitCodes = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(
          ...chunk
            .toString()
            .trim()
            .split('\n')
            .map((line) => JSON.parse(line) as Record<string, unknown>),
        );
        done();
      },
    });
    const logger = pino({ base: { service: 'test-service' } }, sink);
    uninstall = installProcessHandlers(logger, { exit: (code) => exitCodes.push(code) });
  });
  afterEach(() => uninstall());

  const exited = async () => {
    for (let i = 0; i < 100 && exitCodes.length === 0; i++) await new Promise((resolve) => setImmediate(resolve));
    return exitCodes;
  };

  it('logs an uncaught exception as fatal, with the error and its origin, then exits with 1', async () => {
    lastListener('uncaughtException')(new Error('boom in a timer'));
    expect(await exited()).toEqual([1]);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 60,
        service: 'test-service',
        origin: 'uncaughtException',
        err: expect.objectContaining({ message: 'boom in a timer' }),
      }),
    ]);
  });

  it('does the same for an unhandled rejection, once, however many follow', async () => {
    const listener = lastListener('unhandledRejection');
    listener(new Error('nobody awaited this'));
    listener(new Error('a second one while exiting'));
    expect(await exited()).toEqual([1]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ origin: 'unhandledRejection', err: { message: 'nobody awaited this' } });
  });

  it('removes its listeners when uninstalled', () => {
    const before = process.listenerCount('unhandledRejection');
    uninstall();
    expect(process.listenerCount('unhandledRejection')).toBe(before - 1);
    uninstall = () => undefined;
  });
});
