import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { RequeueSweeper } from './requeue.sweeper';

@Module({
  imports: [NotificationsModule],
  providers: [RequeueSweeper],
  exports: [RequeueSweeper],
})
export class RequeueModule {}
