import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import { Request, Response } from 'express';
import { AppError, StorageName, storageUnavailable, toAppError } from '@shop/errors';
import { getRequestId, Logger } from '@shop/observability';
import { sendError } from '@shop/http-kit';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
};

/** Nest's built-in HttpExceptions (route not found, ParseUUIDPipe, ...) in our error family. */
function fromHttpException(exception: HttpException, request: Request): AppError {
  const status = exception.getStatus();
  const body = exception.getResponse();
  const raw = typeof body === 'string' ? body : (body as { message?: unknown }).message;
  const message = Array.isArray(raw) ? raw.join('; ') : typeof raw === 'string' ? raw : exception.message;
  if (status === 404 && message.startsWith('Cannot ')) {
    return new AppError(404, 'ROUTE_NOT_FOUND', `No route for ${request.method} ${request.path}`);
  }
  if (status >= 500) return toAppError(exception);
  return new AppError(status, CODE_BY_STATUS[status] ?? 'REQUEST_REJECTED', message);
}

/** The one place a NestJS service turns errors into the error envelope of docs/architecture.md (same as Express's). */
@Catch()
export class AppExceptionFilter implements ExceptionFilter {
  constructor(
    private readonly logger: Logger,
    /** The service's own database: its outages answer 503 DATABASE_UNAVAILABLE naming it. */
    private readonly storage?: StorageName,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const error =
      exception instanceof HttpException
        ? fromHttpException(exception, request)
        : ((this.storage && storageUnavailable(exception, this.storage)) ?? toAppError(exception));
    if (error.status >= 500) this.logger.error({ err: exception, code: error.code }, 'request failed');
    if (response.headersSent) {
      response.destroy();
      return;
    }
    sendError(response, error, getRequestId() ?? request.id?.toString());
  }
}
