import { NextFunction, Request, Response } from 'express';
import { REQUEST_ID_HEADER } from '@shop/internal-auth';
import { resolveRequestId, runWithRequestContext } from '@shop/observability';

/** Takes X-Request-Id from the caller (or makes one), echoes it, and scopes the request in it. */
export function requestContext() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const requestId = resolveRequestId(req.headers[REQUEST_ID_HEADER]);
    req.id = requestId;
    res.setHeader('X-Request-Id', requestId);
    runWithRequestContext({ requestId }, next);
  };
}
