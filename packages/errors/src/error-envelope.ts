import type { ErrorEnvelope } from '@shop/contracts';
import { AppError, InternalError, PayloadTooLargeError, ValidationError } from './app-error';

/**
 * Turns anything thrown into an AppError. Errors raised by body parsers and other
 * http-errors style libraries carry `status`/`type`; they are client errors with a known
 * meaning. Anything else is a bug and becomes a 500 whose message is never shown.
 */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as { status?: unknown; statusCode?: unknown; type?: unknown; expose?: unknown; message?: unknown };
  const status = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  if (e?.type === 'entity.too.large' || status === 413) return new PayloadTooLargeError(undefined, { cause: err });
  if (e?.type === 'entity.parse.failed') {
    return new ValidationError('The request body is not valid JSON', { code: 'MALFORMED_JSON', cause: err });
  }
  if (status !== undefined && status >= 400 && status < 500 && e.expose !== false) {
    const message = typeof e.message === 'string' && e.message ? e.message : 'The request is invalid';
    return new AppError(status, status === 400 ? 'BAD_REQUEST' : 'REQUEST_REJECTED', message, { cause: err });
  }
  return new InternalError(undefined, { cause: err });
}

export function toErrorEnvelope(error: AppError, requestId?: string): ErrorEnvelope {
  const body: ErrorEnvelope = { success: false, error: error.message, code: error.code };
  if (error.details?.length) body.details = error.details;
  if (requestId) body.requestId = requestId;
  return body;
}
