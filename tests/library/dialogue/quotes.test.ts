import { describe, expect, test } from 'vitest';
import { dialogueOf } from './fixtures.ts';

/** The quoted words of each quote, in order, as the text holds them (marks excluded). */
const texts = (story: string): string[] => dialogueOf(story).quotes.map((q) => q.text);

describe('quotation detection', () => {
  test.each([
    ['straight double quotes', '"Go home," she said.', ['Go home,']],
    ['curly double quotes', '\u201CGo home,\u201D she said.', ['Go home,']],
    [
      'curly and straight marks mixed in one paragraph',
      '\u201CGo home,\u201D she said. "Now."',
      ['Go home, Now.'],
    ],
    [
      'single-quote dialogue, with apostrophes that are not marks',
      "'I've got 'em,' said Tom, 'the dogs' bones.'\n\n'Good,' said Ann. 'Bring 'em here.'\n\n'Right,' said Tom.\n\n'Don't drop 'em,' said Ann.",
      ["I've got 'em, the dogs' bones.", "Good, Bring 'em here.", 'Right,', "Don't drop 'em,"],
    ],
    ['em-dash dialogue', '\u2014 Come up, Kinch! \u2014 said Buck.', ['Come up, Kinch!']],
    [
      'an unbalanced mark does not run into the next paragraph',
      'He said "wait and left.\n\n"Hello," said Ann.',
      ['wait and left.', 'Hello,'],
    ],
    [
      'an apostrophe written as a double mark in narration is not a quote',
      'They admired the pupils" designs for an orphanage.\n\n"Lovely," said Ann.',
      ['Lovely,'],
    ],
    [
      'scare quotes in narration are not dialogue',
      'The room was what she called "amusing", and a cabinet called "the Museum" stood by it.\n\n"Lovely," said Ann.',
      ['Lovely,'],
    ],
  ])('%s', (_name, story, expected) => {
    expect(texts(story)).toEqual(expected);
  });

  test('offsets point at the quoted words, marks excluded', () => {
    const story = 'Ann looked up. "Wait," she said, "not yet."';
    const [q] = dialogueOf(story).quotes;
    expect(q).toBeDefined();
    expect(story.slice(q!.start, q!.end)).toBe('Wait," she said, "not yet.');
    expect(q!.parts.map(([s, e]) => story.slice(s, e))).toEqual(['Wait,', 'not yet.']);
  });

  test('interrupted speech is one utterance in two parts with one speaker', () => {
    const d = dialogueOf('"Yes," said he, "I will."\n\n"Good," said Ann.');
    expect(d.quotes[0]!.parts).toHaveLength(2);
    expect(d.quotes[0]!.text).toBe('Yes, I will.');
  });

  test('a quote nested in a quote is a separate quote', () => {
    const d = dialogueOf('"He told me, \'Run!\' and I ran," said Ann.');
    expect(d.quotes.map((q) => q.text)).toEqual(["He told me, 'Run!' and I ran,", 'Run!']);
    expect(d.quotes[0]!.speaker).toBe('Ann');
    expect(d.quotes[1]!.speaker).not.toBe('Ann');
  });

  test('multi-paragraph speech is one utterance, one speaker, and stops where the speech stops', () => {
    const story = [
      '"I have a long story to tell," said Ann. "It began in the spring, when the rain came.',
      '"Then the river rose and took the mill.',
      '"And that is why we left."',
      'Tom looked at the fire for a long time. Nobody moved.',
      '"I see," said Tom.',
    ].join('\n\n');
    const d = dialogueOf(story);
    const speech = d.quotes[0]!;
    expect(speech.speaker).toBe('Ann');
    expect(speech.text).toContain('that is why we left.');
    expect(speech.text).not.toContain('Nobody moved');
    expect(d.quotes[1]!.text).toBe('I see,');
    expect(d.quotes[1]!.speaker).toBe('Tom');
  });

  test('an unclosed quote at the start of a long paragraph stays within that paragraph', () => {
    const filler = 'and the wind went on '.repeat(5000);
    const story = `"It all began ${filler}\n\n"Hello," said Ann.`;
    const d = dialogueOf(story);
    expect(d.quotes.at(-1)!.text).toBe('Hello,');
    expect(d.quotes.at(-1)!.speaker).toBe('Ann');
  });
});
