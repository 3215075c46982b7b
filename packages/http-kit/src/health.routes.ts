import { Request, Response, Router } from 'express';
import { checkReadiness, ReadinessCheck } from '@shop/observability';

export interface HealthOptions {
  service: string;
  /** The service's own storage by name, e.g. `{ mongodb: () => connection.db.admin().ping() }`: gates readiness. */
  checks: Record<string, ReadinessCheck>;
  /** Services it calls, by name: reported in /health/ready, never making it 503 (see ReadinessChecks). */
  dependencies?: Record<string, ReadinessCheck>;
  timeoutMs?: number;
}

/**
 * `GET /health`: the process is alive. `GET /health/ready`: each dependency's state; 503 when the
 * service's own storage does not answer.
 */
export function healthRoutes(options: HealthOptions): Router {
  const router = Router();
  const started = Date.now();
  router.get('/health', (_req: Request, res: Response) => {
    res.json({ success: true, data: { status: 'ok', service: options.service, uptimeSeconds: Math.round((Date.now() - started) / 1000) } });
  });
  router.get('/health/ready', async (_req: Request, res: Response) => {
    const report = await checkReadiness({ required: options.checks, reported: options.dependencies }, options.timeoutMs);
    res
      .status(report.status === 'ready' ? 200 : 503)
      .json({ success: report.status === 'ready', data: { service: options.service, ...report } });
  });
  return router;
}
