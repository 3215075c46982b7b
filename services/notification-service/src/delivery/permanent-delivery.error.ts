/** A delivery failure that retrying cannot fix (unknown recipient, no phone number, ...). */
export class PermanentDeliveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentDeliveryError';
  }
}
