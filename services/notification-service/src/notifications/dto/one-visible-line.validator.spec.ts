import { isOneVisibleLine, ONE_VISIBLE_LINE_PATTERN, VISIBLE_TEXT_PATTERN } from './one-visible-line.validator';

const SAMPLES = ['Order confirmation', ' x ', 'x', '', ' ', '\t\u00a0\ufeff', 'a\nb', 'a\r', '\u2028x', 'x\u3000', '\u001c', 'é'];

describe('the documented patterns say what the validators check', () => {
  it.each(SAMPLES)('one visible line: %j', (text) => {
    expect(new RegExp(ONE_VISIBLE_LINE_PATTERN).test(text)).toBe(isOneVisibleLine(text));
  });

  it.each([...SAMPLES, 'a\nb\n', '\n\nx'])('some visible text (the description): %j', (text) => {
    expect(new RegExp(VISIBLE_TEXT_PATTERN).test(text)).toBe(/\S/.test(text));
  });
});
