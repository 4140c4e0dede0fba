import { describe, expect, test } from 'vitest';
import { paragraphTexts } from '../../src/library/index.ts';
import { proseParagraphs, storyFrom } from './helpers.ts';

const ONE = 'Spike lit a cigarette and watched the rain come down over the cemetery gates.';
const TWO = 'Across town, Willow closed the spellbook and decided that was enough magic for one night.';

describe('scene breaks', () => {
  test.each([
    'X',
    'x',
    '*',
    '***',
    '* * *',
    '*        *        *        *        *',
    '~~~',
    '~*~*~',
    '---',
    '###',
    'o0o',
    'oOo',
    '-x-',
    'xXx',
    '+++',
    '===',
    '__________',
    '•••',
    '<hr>',
    '<hr />',
    '~ Scene Break ~',
    '~ Xander’s POV ~',
  ])('%s splits the story into two scenes and is not prose', (divider) => {
    const story = storyFrom(`${ONE}\n\n${divider}\n\n${TWO}\n`);
    expect(story.scenes).toHaveLength(2);
    expect(proseParagraphs(story)).toEqual([ONE, TWO]);
  });

  test('a divider line in a file with no blank lines also splits scenes', () => {
    const story = storyFrom(`${ONE}\n* * *\n${TWO}\n`);
    expect(story.scenes.map((scene) => paragraphTexts(story, scene))).toEqual([[ONE], [TWO]]);
  });

  test.each(['...', 'Oh.', 'I'])('%s alone on a line is prose, not a divider', (line) => {
    const story = storyFrom(`${ONE}\n\n${line}\n\n${TWO}\n`);
    expect(story.scenes).toHaveLength(1);
    expect(proseParagraphs(story)).toEqual([ONE, line, TWO]);
  });

  test('scenes keep their position: offsets point at their first and last prose characters', () => {
    const story = storyFrom(`${ONE}\n\n***\n\n${TWO}\n`);
    const [first, second] = story.scenes;
    expect(story.text.slice(first!.start, first!.end)).toBe(ONE);
    expect(story.text.slice(second!.start, second!.end)).toBe(TWO);
    expect(story.scenes.map((scene) => scene.index)).toEqual([0, 1]);
    expect(second!.words).toBe(15);
  });
});

describe('chapter headings', () => {
  test.each([
    ['CHAPTER I', 'CHAPTER I'],
    ['CHAPTER I.', 'CHAPTER I.'],
    ['Chapter 3: The Bronze', 'The Bronze'],
    ['Chapter 12 - Homecoming', 'Homecoming'],
    ['Chapter Twenty-One: Late', 'Late'],
    ['Chapter One', 'Chapter One'],
    ['VOLUME I', 'VOLUME I'],
    ['PART ONE', 'PART ONE'],
    ['Part I: Mosque', 'Mosque'],
    ['BOOK THE FIRST', 'BOOK THE FIRST'],
    ['Book II', 'Book II'],
    ['Prologue', 'Prologue'],
    ['Epilogue: Five Years Later', 'Epilogue: Five Years Later'],
  ])('%s starts a chapter titled %s and is not prose', (heading, title) => {
    const story = storyFrom(`${ONE}\n\n${heading}\n\n${TWO}\n`);
    expect(proseParagraphs(story)).toEqual([ONE, TWO]);
    expect(story.chapters).toEqual([
      { index: 0, title: null },
      { index: 1, title },
    ]);
    expect(story.scenes.map((scene) => [scene.chapter, scene.chapterTitle])).toEqual([
      [0, null],
      [1, title],
    ]);
  });

  test('a title on the line after the heading belongs to the heading', () => {
    const story = storyFrom(
      `CHAPTER I.\nDown the Rabbit-Hole\n\n${ONE}\n\nCHAPTER II.\nTHE POOL OF TEARS\n\n${TWO}\n`,
    );
    expect(story.chapters.map((chapter) => chapter.title)).toEqual([
      'Down the Rabbit-Hole',
      'THE POOL OF TEARS',
    ]);
    expect(proseParagraphs(story)).toEqual([ONE, TWO]);
  });

  test('prose directly under a heading stays prose', () => {
    const wrapped = 'It was a dark night, and the rain fell on the roofs of the\ntown without stopping.';
    const story = storyFrom(`Chapter 1\n${wrapped}\n\nMore prose follows here in the second paragraph.\n`);
    expect(story.chapters[0]?.title).toBe('Chapter 1');
    expect(proseParagraphs(story)[0]).toBe(wrapped);
  });

  test('lone roman numerals are chapter headings in a story numbered I, II, III', () => {
    const story = storyFrom(`I\n\n${ONE}\n\nII\n\n${TWO}\n\nX\n\nThe tenth chapter is short.\n`);
    expect(story.chapters.map((chapter) => chapter.title)).toEqual(['I', 'II', 'X']);
    expect(story.scenes).toHaveLength(3);
  });

  test('a lone X in a story without numbered chapters is a scene break', () => {
    const story = storyFrom(`${ONE}\n\nX\n\n${TWO}\n`);
    expect(story.chapters).toHaveLength(1);
    expect(story.scenes).toHaveLength(2);
  });

  test('a part heading straight before a chapter heading gives way to it', () => {
    const story = storyFrom(`VOLUME I\n\n\nCHAPTER I\n\n${ONE}\n`);
    expect(story.chapters).toEqual([{ index: 0, title: 'CHAPTER I' }]);
  });
});

describe('paragraphs', () => {
  test('blank lines separate paragraphs', () => {
    expect(proseParagraphs(storyFrom(`${ONE}\n\n${TWO}\n`))).toEqual([ONE, TWO]);
  });

  test('a file with one line per paragraph and no blank lines splits per line', () => {
    const lines = [ONE, '"Bloody hell," he said.', '"Language," said Giles.', TWO];
    expect(proseParagraphs(storyFrom(`${lines.join('\n')}\n`))).toEqual(lines);
  });

  test('hard-wrapped prose (Gutenberg style) keeps one paragraph per blank-line block', () => {
    const first =
      'Emma Woodhouse, handsome, clever, and rich, with a comfortable home\nand happy disposition, seemed to unite some of the best blessings of\nexistence.';
    const second =
      "She was the youngest of the two daughters of a most affectionate,\nindulgent father; and had, in consequence of her sister's marriage.";
    const story = storyFrom(`${first}\n\n${second}\n`);
    expect(proseParagraphs(story)).toEqual([first, second]);
    expect(paragraphTexts(story, story.scenes[0]!)[0]).toBe(first.replace(/\n/g, ' '));
  });

  test('in unwrapped text, a single line break inside a block still starts a new paragraph', () => {
    const long = `${ONE} ${TWO}`;
    const story = storyFrom(`${long}\n${TWO}\n\n${ONE}\n`);
    expect(proseParagraphs(story)).toEqual([long, TWO, ONE]);
  });

  test('hard-wrapped text without blank lines starts a paragraph at each indented first line', () => {
    const first =
      '    It was a dark and stormy night; the rain fell in torrents, except\nat occasional intervals, when it was checked by a violent gust of wind\nwhich swept up the streets.';
    const second =
      '    For it is in London that our scene lies, rattling along the\nhousetops, and fiercely agitating the scanty flame of the lamps that\nstruggled against the darkness.';
    const third =
      '    Through one of the obscurest quarters of London, and among\nhaunts little loved by the gentlemen of the police, a man walked\nslowly home.';
    const story = storyFrom(`${[first, second, third].join('\n')}\n`);
    expect(proseParagraphs(story)).toEqual([first, second, third].map((p) => p.trimStart()));
  });

  test('indentation and trailing spaces are not part of a paragraph', () => {
    expect(proseParagraphs(storyFrom(`    ${ONE}   \n\n\t${TWO}\n`))).toEqual([ONE, TWO]);
  });

  test('a multi-megabyte single paragraph is one paragraph with every word counted', () => {
    const sentence = 'The quick vampire jumped over the lazy slayer again. ';
    const huge = sentence.repeat(100_000).trim();
    const story = storyFrom(`Title: Endless\n\n${huge}\n`);
    expect(story.scenes).toHaveLength(1);
    expect(story.scenes[0]!.paragraphs).toHaveLength(1);
    expect(story.words).toBe(900_000);
  });
});

describe('credits: non-story front and back matter', () => {
  test.each([
    ['Click for full size image'],
    ['Banner by the very talented artist'],
    ['Art by someone'],
    ['Cover art: someone'],
    ['[image]'],
  ])('%s before the story is a credit, not prose', (line) => {
    const story = storyFrom(`${line}\n\n${ONE}\n\n${TWO}\n`);
    expect(story.credits).toEqual([line]);
    expect(proseParagraphs(story)).toEqual([ONE, TWO]);
  });

  test.each([
    ['The End'],
    ['THE END.'],
    ['~ Fin ~'],
    ['End'],
    ['To be continued...'],
    ['TBC'],
    ['A/N: Thanks for reading!'],
  ])('%s after the story is a credit, not prose', (line) => {
    const story = storyFrom(`${ONE}\n\n${TWO}\n\n${line}\n`);
    expect(story.credits).toEqual([line]);
    expect(proseParagraphs(story)).toEqual([ONE, TWO]);
  });

  test('the same words inside the story stay prose', () => {
    const story = storyFrom(`${ONE}\n\nThe End\n\n${TWO}\n`);
    expect(proseParagraphs(story)).toEqual([ONE, 'The End', TWO]);
  });
});
