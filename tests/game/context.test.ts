import { describe, expect, test } from 'vitest';
import { balanceQuotes, CONTEXT_MAX_CHARS, quoteContext } from '../../src/game/context.ts';

function at(text: string, quote: string) {
  const start = text.indexOf(quote);
  return { start, end: start + quote.length };
}

describe('quoteContext', () => {
  test.each([
    [
      'Buffy looked at the clock. She sighed. "We need to go," she said. Willow nodded.',
      'We need to go,',
      'She sighed.',
      'she said.',
    ],
    [
      'It was late.\n\n“Go on.”\n\nWillow nodded slowly. Then she left.',
      'Go on.',
      'It was late.',
      'Willow nodded slowly.',
    ],
    ['"First words." Nothing else happened at all', 'First words.', null, 'Nothing else happened at all'],
    ['He said, "Last words."', 'Last words.', 'He said,', null],
    // The line before ends in a straight quotation mark: it closes that line, it is not this one's.
    [
      '"Since when?"\n\nBuffy nodded, "Because I have to save the world?"\n\n"Yes, it is your destiny."',
      'Yes, it is your destiny.',
      'Buffy nodded, "Because I have to save the world?"',
      null,
    ],
    [
      '“Since when?”\n\nBuffy nodded, “Because I have to save the world?”\n\n“Yes, it is your destiny.”',
      'Yes, it is your destiny.',
      'Buffy nodded, “Because I have to save the world?”',
      null,
    ],
  ])('%j', (text, quote, before, after) => {
    expect(quoteContext(text, at(text, quote))).toEqual({ before, after });
  });

  test('long sentences are cut at a word with an ellipsis', () => {
    const text = `${'word '.repeat(200)}end. "Hi there you."`;
    const { before } = quoteContext(text, at(text, 'Hi there you.'));
    expect(before!.length).toBeLessThanOrEqual(CONTEXT_MAX_CHARS);
    expect(before!.endsWith('…')).toBe(true);
  });
});

describe('balanceQuotes', () => {
  test.each([
    ['"You think we have a chance?', '"You think we have a chance?"'],
    ['Look in the right place," she told him.', '"Look in the right place," she told him.'],
    ['“Half a line', '“Half a line”'],
    ['He said “yes” twice.', 'He said “yes” twice.'],
  ])('%s → %s', (input, expected) => {
    expect(balanceQuotes(input)).toBe(expected);
  });
});
