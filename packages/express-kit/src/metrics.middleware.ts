import { NextFunction, Request, Response } from 'express';
import { Metrics } from '@shop/observability';

/**
 * Records each request under its route template (`/api/orders/:id`, not the raw URL) so the
 * number of series stays bounded. Works for NestJS too, which routes through Express.
 */
export function metricsMiddleware(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      metrics.observeRequest(req.method, route, res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
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
