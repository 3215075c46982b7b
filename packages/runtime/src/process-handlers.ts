import type { Logger } from 'pino';

/** How long the last log line may take to reach its destination before the process exits anyway. */
const FLUSH_TIMEOUT_MS = 1000;

export interface ProcessHandlerOptions {
  /** Ends the process; replaced in tests. */
  exit?: (code: number) => void;
}

/**
 * Installed by every main.ts once its logger exists: an unhandled promise rejection or an
 * uncaught exception leaves the process in a state nobody reasoned about, so it is logged once
 * (fatal, with the error and where it came from) and the process exits with 1 for its supervisor
 * (systemd, Kubernetes, the start script) to restart it. Later failures while exiting are ignored.
 */
export function installProcessHandlers(logger: Logger, options: ProcessHandlerOptions = {}): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let exiting = false;
  const fail = (origin: 'uncaughtException' | 'unhandledRejection') => (err: unknown) => {
    if (exiting) return;
    exiting = true;
    logger.fatal({ err, origin, pid: process.pid }, `${origin}: exiting so that the supervisor restarts the service`);
    const timer = setTimeout(() => exit(1), FLUSH_TIMEOUT_MS);
    logger.flush(() => {
      clearTimeout(timer);
      exit(1);
    });
  };
  const onException = fail('uncaughtException');
  const onRejection = fail('unhandledRejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
