import type { Response } from 'express';
import { AppError, toErrorEnvelope } from '@shop/errors';

/** Writes an AppError as the error envelope of docs/architecture.md: the one place errors become HTTP, in both kits. */
export function sendError(res: Response, error: AppError, requestId?: string): void {
  if (error.headers) res.set(error.headers);
  res.status(error.status).json(toErrorEnvelope(error, requestId));
}
