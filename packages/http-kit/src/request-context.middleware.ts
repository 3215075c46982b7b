import { NextFunction, Request, Response } from 'express';
import { REQUEST_ID_HEADER } from '@shop/internal-auth';
import { resolveRequestId, runWithRequestContext } from '@shop/observability';
import { activeTraceIds } from '@shop/telemetry';

/**
 * Takes X-Request-Id from the caller (or makes one), echoes it, and scopes the request in it.
 * With tracing on, X-Trace-Id names the request's trace, to look it up in the trace viewer.
 */
export function requestContext() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const requestId = resolveRequestId(req.headers[REQUEST_ID_HEADER]);
    req.id = requestId;
    res.setHeader('X-Request-Id', requestId);
    const trace = activeTraceIds();
    if (trace) res.setHeader('X-Trace-Id', trace.traceId);
    runWithRequestContext({ requestId }, next);
  };
}
