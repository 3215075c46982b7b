import { NextFunction, Request, Response } from 'express';
import { NotFoundError, StorageName, storageUnavailable, toAppError } from '@shop/errors';
import { sendError } from '@shop/http-kit';
import { getRequestId, Logger } from '@shop/observability';

export interface ErrorHandlingOptions {
  /** The service's own database: its outages answer 503 DATABASE_UNAVAILABLE naming it. */
  storage?: StorageName;
}

/** Express error middleware: anything thrown or passed to next() ends here. */
export function errorHandler(logger: Logger, options: ErrorHandlingOptions = {}) {
  // Express recognises error middleware by its four parameters.
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const error = (options.storage && storageUnavailable(err, options.storage)) || toAppError(err);
    if (error.status >= 500) logger.error({ err, code: error.code }, 'request failed');
    else logger.debug({ code: error.code, message: error.message }, 'request rejected');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendError(res, error, getRequestId() ?? req.id?.toString());
  };
}

/** The envelope for routes that do not exist. */
export function notFoundHandler() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    next(new NotFoundError(`No route for ${req.method} ${req.path}`, { code: 'ROUTE_NOT_FOUND' }));
  };
}
