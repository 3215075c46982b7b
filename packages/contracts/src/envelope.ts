/** One problem with a request: where, and what. */
export interface ErrorDetail {
  /** Where the problem is, e.g. `body.items.0.quantity`. */
  path?: string;
  message: string;
  [key: string]: unknown;
}

/** What every answer that succeeds looks like: `data` holds the answer, under a name (`{ order }`, `{ users, pagination }`). */
export interface SuccessEnvelope<T> {
  success: true;
  message?: string;
  data: T;
}

/** What every refusal and failure looks like; `code` is the machine code to branch on. */
export interface ErrorEnvelope {
  success: false;
  error: string;
  code: string;
  details?: ErrorDetail[];
  requestId?: string;
}

export function ok<T>(data: T, message?: string): SuccessEnvelope<T> {
  return message === undefined ? { success: true, data } : { success: true, message, data };
}
