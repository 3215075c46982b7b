import { Transform } from 'class-transformer';
import { IsUUID, ValidateIf, ValidationOptions } from 'class-validator';

/** Any UUID PostgreSQL's `uuid` type accepts (a path id, nest-kit's UUID_ID, must also carry a version and variant). */
export const IsUuid = (options?: ValidationOptions) => IsUUID('loose', options);

/** Trims a string input; other types pass through for the validators to refuse. */
export const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/** `a, b,,c` → `['a', 'b', 'c']`; a repeated query parameter (an array) is joined first. */
export const CommaList = () =>
  Transform(({ value }) => {
    const joined = Array.isArray(value) ? value.join(',') : value;
    return typeof joined === 'string'
      ? joined
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part.length > 0)
      : joined;
  });

/** `true`/`false` in a query string → a boolean; anything else stays for @IsBoolean to refuse. */
export const BooleanString = () => Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));

/** A number in a query string; what is not one stays as it is for the validators to refuse. */
export const NumberString = () =>
  Transform(({ value }) => {
    if (typeof value !== 'string' || value.trim() === '') return value;
    const n = Number(value);
    return Number.isNaN(n) ? value : n;
  });

/** A field that may be left out, but not sent as null (its document does not say nullable). */
export const OmittableField = () => ValidateIf((_object, value) => value !== undefined);
