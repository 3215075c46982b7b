import type { Request, Response } from 'express';
import { ValidationError } from '@shop/errors';
import { ok } from '@shop/contracts';
import { IDEMPOTENCY_KEY_HEADER } from '@shop/internal-auth';
import { idempotencyKeySchema } from './order.schemas';
import type { PlacedOrder } from './place-order/place-order.use-case';

/** The optional `Idempotency-Key` header, validated. */
export function idempotencyKeyOf(req: Request): string | undefined {
  const value = req.headers[IDEMPOTENCY_KEY_HEADER];
  if (value === undefined) return undefined;
  const parsed = idempotencyKeySchema.safeParse(value);
  if (!parsed.success) {
    throw new ValidationError('The Idempotency-Key header is invalid', {
      code: 'INVALID_IDEMPOTENCY_KEY',
      details: [{ path: `headers.${IDEMPOTENCY_KEY_HEADER}`, message: 'must be 1 to 200 visible ASCII characters' }],
    });
  }
  return parsed.data;
}

/** 201 for a new order; 200 (flagged) when an Idempotency-Key replays an earlier one. */
export function sendPlacedOrder(res: Response, placed: PlacedOrder): void {
  if (placed.created) {
    res
      .status(201)
      .location(`/api/orders/${placed.order.id}`)
      .json(ok({ order: placed.order }, 'Order created'));
    return;
  }
  res.setHeader('Idempotent-Replayed', 'true');
  res.status(200).json(ok({ order: placed.order }, 'Order already placed with this Idempotency-Key'));
}
