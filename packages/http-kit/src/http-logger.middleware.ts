import { pinoHttp } from 'pino-http';
import { Logger } from '@shop/observability';

const QUIET_PATHS = new Set(['/health', '/health/ready', '/metrics']);

/** One structured line per request (method, route, status, duration, request id). */
export function httpLogger(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req) => (req as { id?: string }).id ?? '',
    // The logger's mixin already adds the request id to every line.
    quietReqLogger: true,
    autoLogging: { ignore: (req) => QUIET_PATHS.has((req.url ?? '').split('?')[0]) },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}
