import {
  Body,
  Controller,
  createParamDecorator,
  ExecutionContext,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Request, Response } from 'express';
import { ok } from '@shop/errors';
import { AuthenticatedUser } from '@shop/internal-auth';
import { Access, CurrentUser, ErrorEnvelope } from '@shop/nest-kit';
import { CreateNotificationDto } from './dto/create-notification.dto';
import { CreateNotificationsBatchDto } from './dto/create-notifications-batch.dto';
import { ListNotificationsQuery, MyNotificationsQuery } from './dto/list-notifications.query';
import { NotificationIdParams } from './dto/notification-id.params';
import { NotificationEnvelope, NotificationListEnvelope, toNotificationDto } from './dto/notification.response';
import { NotificationPage, NotificationsService, Viewer } from './notifications.service';

export const INTERNAL_KEY_SCHEME = 'internal-key';

/** The caller as the access guard established it: another service, or a signed-in user. */
const CurrentViewer = createParamDecorator((_data: unknown, context: ExecutionContext): Viewer => {
  const request = context.switchToHttp().getRequest<Request>();
  return request.internal ? { kind: 'internal' } : { kind: 'user', user: request.user as AuthenticatedUser };
});

const listData = ({ items, pagination }: NotificationPage) => ({ notifications: items.map(toNotificationDto), pagination });

@ApiTags('notifications')
@ApiBadRequestResponse({ description: 'Invalid body, query or id', type: ErrorEnvelope })
@ApiUnauthorizedResponse({ description: 'No or bad credentials', type: ErrorEnvelope })
@ApiResponse({ status: 503, description: 'The User service (which checks bearer tokens) is unavailable', type: ErrorEnvelope })
@Controller('api/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Post()
  @Access('internal-or-admin')
  @ApiSecurity(INTERNAL_KEY_SCHEME)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Store and queue a notification (another service, or an admin)' })
  @ApiResponse({ status: 202, description: 'Stored and queued for delivery', type: NotificationEnvelope })
  @ApiOkResponse({
    description: 'A notification with this dedupeKey exists already: it is returned and nothing is sent',
    type: NotificationEnvelope,
  })
  @ApiForbiddenResponse({ description: 'The bearer token is not an admin’s', type: ErrorEnvelope })
  @ApiConflictResponse({ description: 'The dedupeKey belongs to a notification for another recipient or channel', type: ErrorEnvelope })
  async create(@Body() body: CreateNotificationDto, @Res({ passthrough: true }) res: Response) {
    const { notification, created } = await this.notifications.create(body);
    res.status(created ? HttpStatus.ACCEPTED : HttpStatus.OK);
    return ok(
      { notification: toNotificationDto(notification) },
      created ? 'Notification queued for delivery' : 'A notification with this dedupeKey exists already',
    );
  }

  @Post('batch')
  @Access('internal')
  @ApiSecurity(INTERNAL_KEY_SCHEME)
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
      results: results.map((r) => (r.status === 'rejected' ? r : { status: r.status, notification: toNotificationDto(r.notification) })),
    });
  }

  @Get()
  @Access('internal-or-admin')
  @ApiSecurity(INTERNAL_KEY_SCHEME)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'List notifications, newest first (another service, or an admin)' })
  @ApiOkResponse({ type: NotificationListEnvelope })
  @ApiForbiddenResponse({ description: 'The bearer token is not an admin’s', type: ErrorEnvelope })
  async list(@Query() query: ListNotificationsQuery) {
    const page = await this.notifications.list(
      { userId: query.userId, notificationType: query.type, status: query.status },
      { page: query.page, limit: query.limit },
    );
    return ok(listData(page));
  }

  @Get('me')
  @Access('user')
  @ApiBearerAuth()
  @ApiOperation({ summary: "The caller's own notifications, newest first" })
  @ApiOkResponse({ type: NotificationListEnvelope })
  async mine(@CurrentUser() user: AuthenticatedUser, @Query() query: MyNotificationsQuery) {
    const page = await this.notifications.listForUser(
      user.id,
      { notificationType: query.type, status: query.status },
      { page: query.page, limit: query.limit },
    );
    return ok(listData(page));
  }

  @Get(':id')
  @Access('internal-or-user')
  @ApiSecurity(INTERNAL_KEY_SCHEME)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'One notification (its recipient, an admin, or another service)' })
  @ApiOkResponse({ type: NotificationEnvelope })
  @ApiNotFoundResponse({ description: 'No such notification, or it is someone else’s', type: ErrorEnvelope })
  async get(@Param() params: NotificationIdParams, @CurrentViewer() viewer: Viewer) {
    return ok({ notification: toNotificationDto(await this.notifications.getVisible(params.id, viewer)) });
  }

  @Patch(':id/read')
  @Access('user')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Mark one of the caller’s notifications read (the first time is kept)' })
  @ApiOkResponse({ type: NotificationEnvelope })
  @ApiNotFoundResponse({ description: 'No such notification, or it is someone else’s', type: ErrorEnvelope })
  async markRead(@Param() params: NotificationIdParams, @CurrentUser() user: AuthenticatedUser) {
    return ok({ notification: toNotificationDto(await this.notifications.markRead(params.id, user.id)) });
  }
}
