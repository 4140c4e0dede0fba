import { describe, expect, test } from 'vitest';
import { parseStory, StoryFileError, slugify } from '../../src/library/index.ts';
import { encode, proseParagraphs, storyFrom } from './helpers.ts';

const PROSE = 'Giles polished his glasses and pretended not to hear the argument in the stacks.';

function reasonFor(text: string, file: string): string {
  try {
    storyFrom(text, file);
  } catch (error) {
    if (error instanceof StoryFileError) return error.reason;
    throw error;
  }
  return 'parsed';
}

describe('format detection', () => {
  test.each([
    ['story.txt', PROSE, 'text'],
    ['story.TXT', PROSE, 'text'],
    ['story.text', PROSE, 'text'],
    ['story', PROSE, 'text'],
    ['story.md', PROSE, 'markdown'],
    ['story.markdown', PROSE, 'markdown'],
    ['story.html', `<p>${PROSE}</p>`, 'html'],
    ['story.htm', `<p>${PROSE}</p>`, 'html'],
    ['story.xhtml', `<p>${PROSE}</p>`, 'html'],
    ['saved.txt', `<!DOCTYPE html><html><body><p>${PROSE}</p></body></html>`, 'html'],
  ])('%s → %s', (file, text, format) => {
    expect(storyFrom(text, file).format).toBe(format);
  });

  test.each([
    ['story.docx', 'unknown format: ".docx" files are not read as stories (use .txt, .md or .html)'],
    ['story.json', 'unknown format: ".json" files are not read as stories (use .txt, .md or .html)'],
    ['notes.yaml', 'unknown format: ".yaml" files are not read as stories (use .txt, .md or .html)'],
  ])('%s is an unknown format', (file, reason) => {
    expect(reasonFor(PROSE, file)).toBe(reason);
  });

  test('a file with only metadata and no story is refused', () => {
    expect(reasonFor('Title: Empty\nRating: G\n', 'empty.txt')).toBe(
      'no story text found (the file holds only metadata)',
    );
  });
});

describe('text hygiene', () => {
  test('HTML entities in plain text are decoded', () => {
    const story = storyFrom(
      'Tom &amp; Jerry said &ldquo;hi&rdquo; &#8212; twice&hellip; &c; AT&T\n',
      'x.txt',
    );
    expect(proseParagraphs(story)).toEqual(['Tom & Jerry said “hi” — twice… &c; AT&T']);
  });

  test('a Windows-1252 file with CRLF line ends reads like any other', () => {
    const bytes = Uint8Array.from([
      ...encode('Title: Old Fic\r\n\r\n'),
      0x93,
      ...encode('Hello,'),
      0x94,
      ...encode(' she said.\r\n\r\n***\r\n\r\nThe end came.\r\n'),
    ]);
    const story = parseStory(bytes, 'old.txt');
    expect(story.title).toBe('Old Fic');
    expect(proseParagraphs(story)).toEqual(['“Hello,” she said.', 'The end came.']);
    expect(story.scenes).toHaveLength(2);
  });
});

describe('story ids', () => {
  test.each([
    ['Another Time, Another Place', 'another-time-another-place'],
    ["Buffy's Café: Naïve Déjà Vu!", 'buffys-cafe-naive-deja-vu'],
    ['***', 'story'],
    [
      'A very long title that goes on and on and on well past any sensible length for an id',
      'a-very-long-title-that-goes-on-and-on-and-on-well-past-any',
    ],
  ])('%s → %s', (title, id) => {
    expect(slugify(title)).toBe(id);
  });

  test('the id is the slug of the title and the same on every parse', () => {
    const text = `Title: Nine Lives\n\n${PROSE}\n`;
    expect(storyFrom(text, 'a.txt').id).toBe('nine-lives');
    expect(storyFrom(text, 'a.txt').id).toBe(storyFrom(text, 'a.txt').id);
  });

  test('a story without a title gets its id from the file name', () => {
    expect(storyFrom(`${PROSE}\n`, 'fics/war-verse-first-person.txt').id).toBe('war-verse-first-person');
  });

  test('an id field pins the id', () => {
    expect(storyFrom(`Title: Nine Lives\nID: lives-9\n\n${PROSE}\n`).id).toBe('lives-9');
  });
});

describe('overrides (from a sidecar file)', () => {
  const text = `Title: Nine Lives\nRating: R\nWarnings: gore\n\n${PROSE}\n`;

  test('every overridden field wins; the rest stay as the file says', () => {
    const story = storyFrom(text, 'x.txt', {
      overrides: {
        title: 'Nine Lives (Revised)',
        rating: 'Teen And Up Audiences',
        summary: 'Added later.',
        pov: 'first',
      },
    });
    expect(story).toMatchObject({
      title: 'Nine Lives (Revised)',
      id: 'nine-lives-revised',
      rating: 'Teen And Up Audiences',
      ratingLevel: 'teen',
      warnings: ['gore'],
      summary: 'Added later.',
      pov: 'first',
    });
  });

  test('overridden warnings get fresh categories; categories can be overridden too', () => {
    expect(storyFrom(text, 'x.txt', { overrides: { warnings: ['suicide'] } }).warningCategories).toEqual([
      'suicide',
    ]);
    expect(
      storyFrom(text, 'x.txt', { overrides: { warningCategories: ['choose-not-to-warn'] } })
        .warningCategories,
    ).toEqual(['choose-not-to-warn']);
  });

  test('extra fields merge', () => {
    const story = storyFrom(`Title: T\nGenre: Angst\n\n${PROSE}\n`, 'x.txt', {
      overrides: { extra: { prompt: 'rain' } },
    });
    expect(story.extra).toEqual({ genre: 'Angst', prompt: 'rain' });
  });
});

describe('point of view', () => {
  const firstPerson =
    'I walked to the Bronze and I ordered a drink. My hands shook. I looked for him. '.repeat(6);
  const thirdPerson =
    'She walked to the Bronze and she ordered a drink. Her hands shook. He watched her. '.repeat(6);

  test.each([
    ['first-person narration', firstPerson, 'first'],
    ['third-person narration', thirdPerson, 'third'],
  ])('%s is detected', (_name, prose, pov) => {
    expect(storyFrom(`${prose}\n`).pov).toBe(pov);
  });

  test('"I" inside dialogue does not make third-person narration first-person', () => {
    const prose = '"I know. I said I would. I promise I will," she said. He nodded at her. '.repeat(8);
    expect(storyFrom(`${prose}\n`).pov).toBe('third');
  });

  test('a stated POV wins over detection', () => {
    expect(storyFrom(`POV: third person\n\n${firstPerson}\n`).pov).toBe('third');
  });

  test('too little narration to tell gives null', () => {
    expect(storyFrom(`${PROSE}\n`).pov).toBeNull();
  });
});
