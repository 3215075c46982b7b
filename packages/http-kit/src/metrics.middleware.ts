import { NextFunction, Request, Response } from 'express';
import { Metrics } from '@shop/observability';

/**
 * Records each request under its route template (`/api/orders/:id`, not the raw URL) so the
 * number of series stays bounded. Works for NestJS too, which routes through Express.
 */
export function metricsMiddleware(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    // The label is taken when Express assigns req.route: by 'finish', an error that left a
    // mounted router has already reset req.baseUrl, and `/api/orders/:id` would read `/:id`.
    let route: unknown;
    let label = 'unmatched';
    Object.defineProperty(req, 'route', {
      configurable: true,
      enumerable: true,
      get: () => route,
      set: (value: { path?: unknown } | undefined) => {
        route = value;
        if (value?.path !== undefined) label = `${req.baseUrl}${String(value.path)}`;
      },
    });
    res.on('finish', () => {
      metrics.observeRequest(req.method, label, res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}

export function metricsHandler(metrics: Metrics) {
  return async (_req: Request, res: Response): Promise<void> => {
    res.setHeader('Content-Type', metrics.contentType());
    res.send(await metrics.render());
  };
}
