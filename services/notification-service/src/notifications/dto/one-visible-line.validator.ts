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

/**
 * The same rules for the OpenAPI document. ECMAScript's `\s` spelled out: a fuzzer reading the
 * document with Python's `re` would otherwise judge some characters (U+FEFF, U+001C) differently.
 * The line is leading blanks, the first visible character, then anything but a line break: each
 * character has one place to go, so a validator that backtracks stays linear (see above).
 */
const BLANK = '\\t\\v\\f \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
const VISIBLE_CHARACTER = `[^${BLANK}\\r\\n\\u0000]`;
export const VISIBLE_TEXT_PATTERN = VISIBLE_CHARACTER;
export const ONE_VISIBLE_LINE_PATTERN = `^[${BLANK}]*${VISIBLE_CHARACTER}[^\\r\\n\\u0000]*$`;

export const IsOneVisibleLine = (options?: ValidationOptions) =>
  ValidateBy({ name: 'isOneVisibleLine', validator: { validate: isOneVisibleLine } }, options);
