import pino, { Logger, LoggerOptions } from 'pino';
import { activeTraceIds } from '@shop/telemetry';
import { getRequestId } from './request-context';

export type { Logger } from 'pino';

export interface LoggerConfig {
  service: string;
  level?: string;
  /** Human-readable output for a terminal (needs the dev dependency pino-pretty). */
  pretty?: boolean;
}

/** Never write credentials to logs, whatever object a log line happens to carry. */
const REDACT = [
  'req.headers.authorization',
  'req.headers["x-internal-key"]',
  'req.headers.cookie',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.passwordHash',
  '*.token',
  'password',
  'token',
];

export function createLogger(config: LoggerConfig): Logger {
  const options: LoggerOptions = {
    level: config.level ?? 'info',
    base: { service: config.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
    // Every line written while handling a request carries its id, wherever it is logged from,
    // and, with tracing on, the trace and span it was written in.
    mixin: () => {
      const requestId = getRequestId();
      const ids = activeTraceIds();
      return { ...(requestId ? { requestId } : {}), ...(ids ? { traceId: ids.traceId, spanId: ids.spanId } : {}) };
    },
  };
  if (config.pretty) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l' } } });
  }
  return pino(options);
}

/** A logger that writes nothing: for tests that do not look at logs. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
