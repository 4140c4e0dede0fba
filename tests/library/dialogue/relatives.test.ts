/**
 * "said her mother", "replied his wife": the relative of whom the narration follows, not that
 * person, and found by the family's name and title.
 */
import { describe, expect, test } from 'vitest';
import { dialogueOf } from './fixtures.ts';

const speakerOf = (story: string, words: string) =>
  dialogueOf(story).quotes.find((q) => q.text.includes(words))?.speaker;

/**
 * The Bennets at breakfast; Mrs. Long and Mr. Collins come in and are named last, just before
 * one of Elizabeth's parents (Elizabeth being whom the narration follows) speaks to her.
 */
const breakfast = (tag: string): string =>
  [
    'Mrs. Bennet and Mr. Bennet were already at the table.',
    '"Sit up, Jane," said Mrs. Bennet. "Where is that girl?"',
    '"Asleep, I dare say," said Mr. Bennet.',
    'Mrs. Long and Mr. Collins came in, and sat down by the fire.',
    'Elizabeth Bennet came down late; Elizabeth Bennet was never early. She took her seat by Mrs. Long, and Mr. Collins bowed to her.',
    `"You are late again, child," ${tag}.`,
    '"I am sorry," said Elizabeth.',
  ].join('\n\n');

describe('kin described by a possessive', () => {
  test.each([
    ['said her mother', 'Mrs. Bennet'],
    ['said her father', 'Mr. Bennet'],
  ])('"%s" is %s, not the daughter', (tag, parent) => {
    expect(speakerOf(breakfast(tag), 'late again')).toBe(parent);
  });

  test('"replied his wife" is the Mrs. of his family', () => {
    const story = [
      'Mr. Bennet read his paper. Mrs. Bennet and Mrs. Long sat by the fire, and Mr. Bennet did not look up.',
      '"Netherfield is let at last," said Mrs. Long.',
      '"Is it?" said Mr. Bennet. He turned a page.',
      '"You must know that it is," replied his wife.',
    ].join('\n\n');
    expect(speakerOf(story, 'You must know')).toBe('Mrs. Bennet');
  });
});
