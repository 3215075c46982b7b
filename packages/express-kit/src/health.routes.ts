import { Request, Response, Router } from 'express';
import { checkReadiness, ReadinessCheck } from '@shop/observability';

export interface HealthOptions {
  service: string;
  /** Each dependency by name, e.g. `{ mongodb: () => connection.db.admin().ping() }`. */
  checks: Record<string, ReadinessCheck>;
  timeoutMs?: number;
}

/** `GET /health`: the process is alive. `GET /health/ready`: every dependency answers (else 503). */
export function healthRoutes(options: HealthOptions): Router {
  const router = Router();
  const started = Date.now();
  router.get('/health', (_req: Request, res: Response) => {
    res.json({ success: true, data: { status: 'ok', service: options.service, uptimeSeconds: Math.round((Date.now() - started) / 1000) } });
  });
  router.get('/health/ready', async (_req: Request, res: Response) => {
    const report = await checkReadiness(options.checks, options.timeoutMs);
    res.status(report.status === 'ready' ? 200 : 503).json({ success: report.status === 'ready', data: { service: options.service, ...report } });
  });
  return router;
}
