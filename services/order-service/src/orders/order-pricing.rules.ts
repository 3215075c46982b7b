import { randomUUID } from 'node:crypto';
import { BadGatewayError } from '@shop/errors';
import type { ReservationDto } from '@shop/service-client';
import { centsToDecimal, lineTotal, sumCents, toCents } from './money.rules';
import type { OrderLineInput } from './order-request.rules';
import type { NewOrderItem } from './order.ports';

export interface PricedOrder {
  items: NewOrderItem[];
  /** Exact decimal text, e.g. "2089.95". */
  totalAmount: string;
}

/**
 * Prices come from the reservation (the Product service's price at that moment), never from
 * the client, and are added up in integer cents.
 */
export function priceFromReservation(lines: readonly OrderLineInput[], reservation: ReservationDto): PricedOrder {
  const reserved = new Map(reservation.items.map((r) => [r.productId, r]));
  const cents: number[] = [];
  const items = lines.map((line) => {
    const r = reserved.get(line.productId);
    if (!r || r.quantity !== line.quantity) {
      throw new BadGatewayError(
        'product-service',
        `The Product service's reservation does not match the order (product ${line.productId})`,
      );
    }
    const unit = toCents(r.unitPrice);
    const total = lineTotal(unit, line.quantity);
    cents.push(total);
    return {
      id: randomUUID(),
      productId: line.productId,
      productName: r.name,
      unitPrice: centsToDecimal(unit),
      quantity: line.quantity,
      lineTotal: centsToDecimal(total),
    };
  });
  return { items, totalAmount: centsToDecimal(sumCents(cents)) };
}
