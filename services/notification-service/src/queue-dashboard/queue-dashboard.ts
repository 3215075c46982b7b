import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Queue } from 'bull';
import { operatorAuth, OperatorAuthOptions } from './operator-auth.middleware';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/** Bull Board for operators at /admin/queues, on the Express app under Nest, behind operatorAuth. */
export function mountQueueDashboard(app: NestExpressApplication, queues: Queue[], auth: Omit<OperatorAuthOptions, 'realm'>): void {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Notifications' } },
  });
  app.use(QUEUE_DASHBOARD_PATH, operatorAuth({ ...auth, realm: 'queues' }), serverAdapter.getRouter());
}
