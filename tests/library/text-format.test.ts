import { describe, expect, test } from 'vitest';
import { type Story, StoryFileError } from '../../src/library/index.ts';
import { firstProse, proseParagraphs, storyFrom } from './helpers.ts';

const PROSE = 'Buffy pulled the stake out of her jacket and waited for the thing in the crypt to come out.';

describe('header block: every key', () => {
  test.each<[string, (story: Story) => unknown, unknown]>([
    ['Title: Nine Lives', (s) => s.title, 'Nine Lives'],
    ['Author: moonlitmuse', (s) => s.author, 'moonlitmuse'],
    ['Rating: PG-13', (s) => [s.rating, s.ratingLevel], ['PG-13', 'teen']],
    ['Warnings: Gore', (s) => [s.warnings, s.warningCategories], [['Gore'], ['gore']]],
    ['Warning: character death', (s) => s.warningCategories, ['character-death']],
    ['Pairing: Spike/Xander', (s) => s.pairings, ['Spike/Xander']],
    ['Pairings: Spike/Xander, Willow/Tara', (s) => s.pairings, ['Spike/Xander', 'Willow/Tara']],
    ['Characters: Spike, Xander Harris', (s) => s.characters, ['Spike', 'Xander Harris']],
    ['Fandom: Buffy the Vampire Slayer', (s) => s.fandoms, ['Buffy the Vampire Slayer']],
    ['Summary: Spike gets a job.', (s) => s.summary, 'Spike gets a job.'],
    ['Notes: For my flist.', (s) => s.notes, 'For my flist.'],
    ["Author's Notes: For my flist.", (s) => s.notes, 'For my flist.'],
    ['A/N: For my flist.', (s) => s.notes, 'For my flist.'],
    ['Betas: Much thanks to spikesgurl.', (s) => s.credits, ['Betas: Much thanks to spikesgurl.']],
    ['Disclaimer: Not mine, wish they were.', (s) => s.credits, ['Disclaimer: Not mine, wish they were.']],
    ['Word count: 1,234', (s) => s.extra['word count'], '1,234'],
    ['Words: 1,234', (s) => s.extra.words, '1,234'],
    ['Genre: Angst', (s) => s.extra.genre, 'Angst'],
    ['Spoilers: Season 5', (s) => s.extra.spoilers, 'Season 5'],
    ['POV: first person', (s) => s.pov, 'first'],
    ['TITLE: Shouting Keys', (s) => s.title, 'Shouting Keys'],
    ['title: whispering keys', (s) => s.title, 'whispering keys'],
    ['**Title:** Bold Keys', (s) => s.title, 'Bold Keys'],
    ['Rating/Warnings: R; Allusions to gore.', (s) => [s.rating, s.warnings], ['R', ['Allusions to gore']]],
    [
      'Rating & Warnings: NC-17, torture',
      (s) => [s.ratingLevel, s.warningCategories],
      ['explicit', ['torture']],
    ],
    [
      'Rating: NC-17 for sex',
      (s) => [s.rating, s.ratingLevel, s.warnings, s.extra.rating],
      ['NC-17', 'explicit', [], 'NC-17 for sex'],
    ],
  ])('%s', (line, read, expected) => {
    const story = storyFrom(`${line}\n\n${PROSE}\n`);
    expect(read(story)).toEqual(expected);
    expect(proseParagraphs(story)).toEqual([PROSE]);
  });

  test('unknown keys in the middle of a header are kept in extra', () => {
    const story = storyFrom(`Title: T\nPrompt Table: 100 words\nRating: G\n\n${PROSE}\n`);
    expect(story.extra['prompt table']).toBe('100 words');
    expect(story.ratingLevel).toBe('general');
  });

  test('values wrap onto the following lines', () => {
    const story = storyFrom(
      `Title: Nine Lives\nSummary: Every time Spike dies, he wakes up a little earlier in the\nsame long Tuesday. Buffy is not amused.\nRating: R\n\n${PROSE}\n`,
    );
    expect(story.summary).toBe(
      'Every time Spike dies, he wakes up a little earlier in the same long Tuesday. Buffy is not amused.',
    );
    expect(story.rating).toBe('R');
  });

  test('a value may start on the line after its key', () => {
    const story = storyFrom(`Title: T\nSummary:\nSpike gets a job.\n\n${PROSE}\n`);
    expect(story.summary).toBe('Spike gets a job.');
  });

  test('blank lines between header lines keep the header going', () => {
    const story = storyFrom(`Title: T\n\nSummary: S\n\nNotes: N\n\n\n${PROSE}\n`);
    expect([story.title, story.summary, story.notes]).toEqual(['T', 'S', 'N']);
    expect(firstProse(story)).toBe(PROSE);
  });

  test('a long unwrapped header line is not continued by the prose under it', () => {
    const summary = `Disclaimer: ${'Not mine, they belong to Joss and Mutant Enemy and I make no money. '.repeat(2).trim()}`;
    const story = storyFrom(`${summary}\n${PROSE}\n`);
    expect(firstProse(story)).toBe(PROSE);
  });

  test('a colon in the first line of prose does not make a header', () => {
    const line = 'She said it plainly: nobody was leaving the library tonight.';
    expect(proseParagraphs(storyFrom(`${line}\n\n${PROSE}\n`))).toEqual([line, PROSE]);
  });
});

describe('title from the first line', () => {
  test('a short first line on its own is the title', () => {
    const story = storyFrom(`Another Time, Another Place\n\n${PROSE}\n`);
    expect(story.title).toBe('Another Time, Another Place');
    expect(proseParagraphs(story)).toEqual([PROSE]);
  });

  test.each([
    ['by Jane Austen', 'Jane Austen'],
    ['By E. M. Forster', 'E. M. Forster'],
  ])('a "%s" line after the title is the author', (line, author) => {
    const story = storyFrom(`Emma\n\n${line}\n\n${PROSE}\n`);
    expect([story.title, story.author]).toEqual(['Emma', author]);
    expect(proseParagraphs(story)).toEqual([PROSE]);
  });

  test('"by" alone with the name on its own line is the author', () => {
    const story = storyFrom(`Persuasion\n\n\nby\n\nJane Austen\n\n${PROSE}\n`);
    expect(story.author).toBe('Jane Austen');
  });

  test('the title line may come before a header block', () => {
    const story = storyFrom(`Nine Lives\n\nAuthor: moonlitmuse\nRating: R\n\n${PROSE}\n`);
    expect([story.title, story.author, story.rating]).toEqual(['Nine Lives', 'moonlitmuse', 'R']);
  });

  test('a Project Gutenberg first line gives title and author', () => {
    const story = storyFrom(
      `The Project Gutenberg EBook of A Passage to India, by E. M. Forster\n\n${PROSE}\n`,
    );
    expect([story.title, story.author]).toEqual(['A Passage to India', 'E. M. Forster']);
  });

  test.each([
    ['a sentence', 'It was late.'],
    ['a line of dialogue', '"Run!"'],
    ['a chapter heading', 'Chapter 1'],
  ])('%s is not a title', (_name, line) => {
    const story = storyFrom(`${line}\n\n${PROSE}\n`, 'my-story.txt');
    expect(story.title).toBe('My Story');
  });

  test('a file without any title takes one from its file name', () => {
    expect(storyFrom(`${PROSE}\n`, 'fics/war-verse_first person.txt').title).toBe('War Verse First Person');
    expect(storyFrom(`${PROSE}\n`, 'TheMysteriousAffairAtStyles/novel_text.txt').title).toBe(
      'The Mysterious Affair At Styles',
    );
  });
});

describe('Markdown with YAML front matter', () => {
  const markdown = `---\ntitle: "Lanterns"\nauthor: Ravenna Holt\nrating: T\nwarnings:\n  - Character death (offscreen)\n  - Grief\ntags: [post-war, grief]\npov: third\nbanner: by someone\n---\n\n# Chapter 1: The River\n\n${PROSE}\n\n# Chapter 2: The Names\n\nShe asked him whose name he had written.\n`;

  test('front matter fills the fields', () => {
    const story = storyFrom(markdown, 'lanterns.md');
    expect(story).toMatchObject({
      format: 'markdown',
      title: 'Lanterns',
      author: 'Ravenna Holt',
      rating: 'T',
      ratingLevel: 'teen',
      warnings: ['Character death (offscreen)', 'Grief'],
      warningCategories: ['character-death', 'other'],
      tags: ['post-war', 'grief'],
      pov: 'third',
      credits: ['banner: by someone'],
    });
  });

  test('# headings are chapters, not prose', () => {
    const story = storyFrom(markdown, 'lanterns.md');
    expect(story.chapters).toEqual([
      { index: 0, title: 'The River' },
      { index: 1, title: 'The Names' },
    ]);
    expect(proseParagraphs(story)).toEqual([PROSE, 'She asked him whose name he had written.']);
  });

  test('a # title line gives the title when front matter has none', () => {
    const story = storyFrom(`# Lanterns\n\n${PROSE}\n`, 'x.md');
    expect(story.title).toBe('Lanterns');
    expect(proseParagraphs(story)).toEqual([PROSE]);
  });

  test('front matter in a .txt file works too', () => {
    const story = storyFrom(`---\ntitle: Plain\nrating: K+\n---\n${PROSE}\n`, 'plain.txt');
    expect([story.title, story.rating, story.ratingLevel, story.format]).toEqual([
      'Plain',
      'K+',
      'general',
      'text',
    ]);
  });

  test('a .txt that opens with a --- divider is not front matter', () => {
    const story = storyFrom(`---\n${PROSE}\n---\nMore.\n`, 'plain.txt');
    expect(proseParagraphs(story)).toEqual([PROSE, 'More.']);
  });

  test.each([
    ['invalid YAML', '---\ntitle: [unclosed\n---\nText.\n', 'front matter is not valid YAML'],
    ['no closing line', '---\ntitle: Lost\n\nText.\n', 'front matter has no closing "---" line'],
    [
      'a bad pov',
      '---\ntitle: T\npov: sideways\n---\nText.\n',
      'front matter: pov must be first, second or third',
    ],
    [
      'a bad rating level',
      '---\nratingLevel: spicy\n---\nText.\n',
      'front matter: ratingLevel must be one of',
    ],
  ])('Markdown front matter with %s is an error naming the problem', (_name, text, reason) => {
    expect(() => storyFrom(text, 'bad.md')).toThrow(StoryFileError);
    expect(() => storyFrom(text, 'bad.md')).toThrow(reason);
  });
});
