import { ValidateBy, ValidationOptions } from 'class-validator';

const LINE_BREAK = /[\r\n]/;
const VISIBLE = /\S/;

/**
 * One line with some visible text (a mail subject: a line break would inject headers). Two
 * single-character scans, linear in the input: a pattern like `^[^\r\n]*\S[^\r\n]*$` backtracks
 * quadratically on a long line ending in a break (40,000 characters took about a second).
 */
export function isOneVisibleLine(value: unknown): boolean {
  return typeof value === 'string' && !LINE_BREAK.test(value) && VISIBLE.test(value);
}

export const IsOneVisibleLine = (options?: ValidationOptions) =>
  ValidateBy({ name: 'isOneVisibleLine', validator: { validate: isOneVisibleLine } }, options);
