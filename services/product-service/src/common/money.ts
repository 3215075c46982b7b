import { buildMessage, ValidateBy, ValidationOptions } from 'class-validator';
import { ValueTransformer } from 'typeorm';

/** The highest price accepted (numeric(12,2) could hold more; no shop item costs that much). */
export const MAX_PRICE = 1_000_000_000;

/**
 * A finite number with at most two decimals, judged on its shortest decimal form — the digits the
 * client wrote (999.99 passes, 1.005 and 1e-7 do not). class-validator's own maxDecimalPlaces
 * check throws on exponent forms such as 1e-7, which would surface as a 500.
 */
export function isMoneyAmount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && /^-?\d+(\.\d{1,2})?$/.test(String(value));
}

export const IsMoneyAmount = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isMoneyAmount',
      validator: {
        validate: (value) => isMoneyAmount(value),
        defaultMessage: buildMessage((each) => `${each}$property must be a number with at most 2 decimal places`, options),
      },
    },
    options,
  );

/**
 * `numeric(12,2)` columns: PostgreSQL hands them over as exact decimal strings ("999.99"); the
 * API speaks JSON numbers. Amounts are validated to at most two decimals, so `toFixed(2)` writes
 * the exact value, and `Number("999.99")` reads back the very number JSON prints as 999.99.
 */
export const moneyColumn: ValueTransformer = {
  to: (value: number | null | undefined) => (typeof value === 'number' ? toMoneyString(value) : value),
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/** An amount as the exact decimal string PostgreSQL stores and compares (also for query parameters). */
export const toMoneyString = (amount: number): string => amount.toFixed(2);
