import {
  Body,
  Controller,
  createParamDecorator,
  ExecutionContext,
  Get,
  HttpCode,
  HttpStatus,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { ok } from '@shop/contracts';
import { AuthenticatedUser } from '@shop/internal-auth';
import { ApiEnvelope, ApiErrors, CurrentUser, EnvelopeDoc, IdParam, mongoId, Restricted } from '@shop/nest-kit';
import { CreateNotificationDto } from './dto/create-notification.dto';
import { CreateNotificationsBatchDto } from './dto/create-notifications-batch.dto';
import { ListNotificationsQuery, MyNotificationsQuery } from './dto/list-notifications.query';
import { NotificationResponse, toNotificationResponse } from './dto/notification.response';
import { NotificationPage, NotificationsService, Viewer } from './notifications.service';

/** The caller as the access guard established it: another service, or a signed-in user. */
const CurrentViewer = createParamDecorator((_data: unknown, context: ExecutionContext): Viewer => {
  const request = context.switchToHttp().getRequest<Request>();
  return request.internal ? { kind: 'internal' } : { kind: 'user', user: request.user as AuthenticatedUser };
});

const NOTIFICATION_ID = mongoId('notification id', '6650b7f1c2a4e5d6f7a8b9c1');

const NOTIFICATION_PAGE: EnvelopeDoc = {
  key: 'notifications',
  type: NotificationResponse,
  isArray: true,
  paginated: true,
  description: 'One page of notifications',
};

const listData = ({ items, pagination }: NotificationPage) => ({ notifications: items.map(toNotificationResponse), pagination });

@ApiTags('notifications')
@ApiErrors(
  [400, 'VALIDATION_FAILED: invalid body, query or id'],
  [503, 'SERVICE_UNAVAILABLE: the User service (which checks bearer tokens) is down; DATABASE_UNAVAILABLE: MongoDB is'],
)
@Controller('api/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Post()
  @Restricted('internal-or-admin')
  @ApiOperation({ summary: 'Store and queue a notification (another service, or an admin)' })
  @ApiEnvelope({ key: 'notification', type: NotificationResponse, status: 202, description: 'Stored and queued for delivery' })
  @ApiEnvelope({
    key: 'notification',
    type: NotificationResponse,
    description: 'A notification with this dedupeKey exists already: it is returned and nothing is sent',
  })
  @ApiErrors([409, 'DEDUPE_KEY_REUSED: the dedupeKey belongs to a notification for another recipient or channel'])
  async create(@Body() body: CreateNotificationDto, @Res({ passthrough: true }) res: Response) {
    const { notification, created } = await this.notifications.create(body);
    res.status(created ? HttpStatus.ACCEPTED : HttpStatus.OK);
    return ok(
      { notification: toNotificationResponse(notification) },
      created ? 'Notification queued for delivery' : 'A notification with this dedupeKey exists already',
    );
  }

  @Post('batch')
  @Restricted('internal')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Store and queue many notifications at once (another service)',
    description:
      'Each must carry a dedupeKey, so repeating the batch is safe. One result per notification, in order: `created` (queued now), `existing` (its dedupeKey was taken: nothing new is sent) or `rejected` (the key belongs to a notification for another recipient or channel).',
  })
  @ApiOkResponse({ description: 'One result per notification, in order' })
  async createMany(@Body() body: CreateNotificationsBatchDto) {
    const results = await this.notifications.createMany(body.notifications);
    return ok({
      results: results.map((r) =>
        r.status === 'rejected' ? r : { status: r.status, notification: toNotificationResponse(r.notification) },
      ),
    });
  }

  @Get()
  @Restricted('internal-or-admin')
  @ApiOperation({ summary: 'List notifications, newest first (another service, or an admin)' })
  @ApiEnvelope(NOTIFICATION_PAGE)
  async list(@Query() query: ListNotificationsQuery) {
    const page = await this.notifications.list(
      { userId: query.userId, notificationType: query.type, status: query.status },
      { page: query.page, limit: query.limit },
    );
    return ok(listData(page));
  }

  @Get('me')
  @Restricted('user')
  @ApiOperation({ summary: "The caller's own notifications, newest first" })
  @ApiEnvelope(NOTIFICATION_PAGE)
  async mine(@CurrentUser() user: AuthenticatedUser, @Query() query: MyNotificationsQuery) {
    const page = await this.notifications.listForUser(
      user.id,
      { notificationType: query.type, status: query.status },
      { page: query.page, limit: query.limit },
    );
    return ok(listData(page));
  }

  @Get(':id')
  @Restricted('internal-or-user')
  @ApiOperation({ summary: 'One notification (its recipient, an admin, or another service)' })
  @ApiEnvelope({ key: 'notification', type: NotificationResponse, description: 'The notification' })
  @ApiErrors([404, 'NOTIFICATION_NOT_FOUND: no such notification, or it is someone else’s'])
  async get(@IdParam('id', NOTIFICATION_ID) id: string, @CurrentViewer() viewer: Viewer) {
    return ok({ notification: toNotificationResponse(await this.notifications.getVisible(id, viewer)) });
  }

  @Patch(':id/read')
  @Restricted('user')
  @ApiOperation({ summary: 'Mark one of the caller’s notifications read (the first time is kept)' })
  @ApiEnvelope({ key: 'notification', type: NotificationResponse, description: 'The notification, read' })
  @ApiErrors([404, 'NOTIFICATION_NOT_FOUND: no such notification, or it is someone else’s'])
  async markRead(@IdParam('id', NOTIFICATION_ID) id: string, @CurrentUser() user: AuthenticatedUser) {
    return ok({ notification: toNotificationResponse(await this.notifications.markRead(id, user.id)) });
  }

  @Post(':id/retry')
  @HttpCode(202)
  @Restricted('internal-or-admin')
  @ApiOperation({ summary: 'Deliver a failed notification again (an operator, once the cause is fixed): queued with a fresh retry window' })
  @ApiEnvelope({ key: 'notification', type: NotificationResponse, status: 202, description: 'The notification, queued again' })
  @ApiErrors(
    [404, 'NOTIFICATION_NOT_FOUND: no such notification'],
    [409, 'NOTIFICATION_NOT_FAILED: only a failed notification can be retried'],
  )
  async retry(@IdParam('id', NOTIFICATION_ID) id: string) {
    return ok({ notification: toNotificationResponse(await this.notifications.retry(id)) });
  }
}
