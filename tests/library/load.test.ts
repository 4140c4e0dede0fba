import { mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  type LoadProgress,
  loadLibrary,
  loadStoryFile,
  type Story,
  StoryFileError,
} from '../../src/library/index.ts';

const PROSE = 'Dawn sat on the stairs and listened to the house settle around her.';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ficbot-library-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const put = async (name: string, content: string | Uint8Array) => {
  await mkdir(join(dir, name, '..'), { recursive: true });
  await writeFile(join(dir, name), content);
};

const story = (title: string) => `Title: ${title}\n\n${PROSE}\n`;

describe('loadLibrary', () => {
  test('reads every story under the folder, recursively, in path order', async () => {
    await put('b.txt', story('Bravo'));
    await put('a.md', `---\ntitle: Alpha\n---\n${PROSE}\n`);
    await put('deep/er/c.html', `<h1>Charlie</h1><p>${PROSE}</p>`);
    const library = await loadLibrary(dir);
    expect(library.stories.map((s) => [s.file, s.title])).toEqual([
      ['a.md', 'Alpha'],
      ['b.txt', 'Bravo'],
      ['deep/er/c.html', 'Charlie'],
    ]);
    expect(library.problems).toEqual([]);
    expect(library.dir).toBe(dir);
  });

  test('skips dotfiles and dot-folders', async () => {
    await put('good.txt', story('Good'));
    await put('.DS_Store', new Uint8Array([0, 1, 2]));
    await put('.git/config.txt', story('Hidden'));
    const library = await loadLibrary(dir);
    expect(library.stories.map((s) => s.title)).toEqual(['Good']);
    expect(library.problems).toEqual([]);
  });

  test('one broken file among good ones: every good story loads, the bad one is a problem naming it', async () => {
    await put('01-good.txt', story('First'));
    await put('02-binary.txt', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]));
    await put('03-good.txt', story('Third'));
    const library = await loadLibrary(dir);
    expect(library.stories.map((s) => s.title)).toEqual(['First', 'Third']);
    expect(library.problems).toEqual([
      { file: '02-binary.txt', reason: 'binary file: looks like a PNG image' },
    ]);
  });

  test('every kind of bad input becomes a problem with a reason', async () => {
    await put('good.txt', story('Good'));
    await put('empty.txt', '');
    await put('blank.md', '\n\n  \n');
    await put('nul.txt', Uint8Array.from([0x41, 0, 0x42]));
    await put('cover.jpg', Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]));
    await put('notes.docx', 'PK');
    await put('metadata-only.txt', 'Title: Nothing Here\nRating: G\n');
    await put('bad-front-matter.md', '---\ntitle: [broken\n---\nText.\n');
    await writeFile(join(dir, 'huge.txt'), 'x');
    await truncate(join(dir, 'huge.txt'), 21 * 1024 * 1024);
    await symlink(join(dir, 'does-not-exist.txt'), join(dir, 'dangling.txt'));
    const library = await loadLibrary(dir);
    expect(library.stories.map((s) => s.title)).toEqual(['Good']);
    const reasons = Object.fromEntries(library.problems.map((p) => [p.file, p.reason]));
    expect(reasons).toEqual({
      'bad-front-matter.md': expect.stringMatching(/^front matter is not valid YAML: /),
      'blank.md': 'empty file (only whitespace)',
      'cover.jpg': 'unknown format: ".jpg" files are not read as stories (use .txt, .md or .html)',
      'dangling.txt': 'cannot read: file not found (a broken link?)',
      'empty.txt': 'empty file',
      'huge.txt': 'file is 21 MiB, over the 20 MiB limit',
      'metadata-only.txt': 'no story text found (the file holds only metadata)',
      'notes.docx': 'unknown format: ".docx" files are not read as stories (use .txt, .md or .html)',
      'nul.txt': 'binary file: contains NUL bytes',
    });
  });

  test('a smaller size limit can be chosen', async () => {
    await put('long.txt', story('Long'));
    const library = await loadLibrary(dir, { maxBytes: 16 });
    expect(library.problems).toEqual([
      { file: 'long.txt', reason: expect.stringMatching(/over the 16 bytes limit$/) },
    ]);
  });

  test('symbolic link loops are followed once and never hang', async () => {
    await put('stories/one.txt', story('One'));
    await symlink(join(dir, 'stories'), join(dir, 'stories', 'loop'));
    await symlink(dir, join(dir, 'root-loop'));
    const library = await loadLibrary(dir);
    expect(library.stories.map((s) => s.file)).toEqual(['stories/one.txt']);
  });

  test('ids are unique: colliding titles get -2, -3 in path order, the same on every load', async () => {
    await put('a/same.txt', story('Same Title'));
    await put('b/same.txt', story('Same Title'));
    await put('c/other.txt', story('Same Title'));
    await put('d.txt', story('Same Title 2'));
    const first = await loadLibrary(dir);
    const second = await loadLibrary(dir);
    const ids = (library: { stories: readonly Story[] }) => library.stories.map((s) => [s.file, s.id]);
    expect(ids(first)).toEqual([
      ['a/same.txt', 'same-title'],
      ['b/same.txt', 'same-title-2'],
      ['c/other.txt', 'same-title-3'],
      ['d.txt', 'same-title-2-2'],
    ]);
    expect(ids(second)).toEqual(ids(first));
  });

  test('reports progress after each file', async () => {
    await put('a.txt', story('A'));
    await put('b.txt', '');
    const seen: LoadProgress[] = [];
    await loadLibrary(dir, { onProgress: (progress) => seen.push(progress) });
    expect(seen).toEqual([
      { done: 1, total: 2, file: 'a.txt' },
      { done: 2, total: 2, file: 'b.txt' },
    ]);
  });

  test('a cache keyed on path, size and modification time is consulted before parsing', async () => {
    await put('a.txt', story('Cached'));
    const cache = new Map<string, Story>();
    const first = await loadLibrary(dir, { cache });
    expect(cache.size).toBe(1);
    const second = await loadLibrary(dir, { cache });
    expect(second.stories[0]).toBe(first.stories[0]);
    await put('a.txt', story('Changed Title'));
    const third = await loadLibrary(dir, { cache });
    expect(third.stories[0]?.title).toBe('Changed Title');
  });

  test('a missing data folder is an error naming it', async () => {
    await expect(loadLibrary(join(dir, 'nope'))).rejects.toThrow(
      /data folder .*nope: cannot read: file not found/,
    );
  });
});

describe('sidecar overrides', () => {
  test('story.txt.meta.yaml overrides fields of story.txt and is not itself a story', async () => {
    await put('story.txt', `Rating/Warnings: R; gore\n\n${PROSE}\n`);
    await put(
      'story.txt.meta.yaml',
      'title: The Real Title\nauthor: Someone\nwarnings: [Graphic Depictions Of Violence]\nsummary: |\n  Two lines\n  of summary.\nfandom: Buffy\n',
    );
    const library = await loadLibrary(dir);
    expect(library.problems).toEqual([]);
    expect(library.stories).toHaveLength(1);
    expect(library.stories[0]).toMatchObject({
      id: 'the-real-title',
      title: 'The Real Title',
      author: 'Someone',
      rating: 'R',
      warnings: ['Graphic Depictions Of Violence'],
      warningCategories: ['graphic-violence'],
      summary: 'Two lines\nof summary.',
      fandoms: ['Buffy'],
    });
  });

  test('.meta.yml works too, and an id in the sidecar pins the id', async () => {
    await put('story.md', `# Title\n\n${PROSE}\n`);
    await put('story.md.meta.yml', 'id: pinned\n');
    const library = await loadLibrary(dir);
    expect(library.stories[0]?.id).toBe('pinned');
  });

  test('an invalid sidecar is a problem for its story, naming the sidecar', async () => {
    await put('good.txt', story('Good'));
    await put('story.txt', story('Story'));
    await put('story.txt.meta.yaml', 'title: [unclosed\n');
    await put('list.txt', story('List'));
    await put('list.txt.meta.yaml', '- just\n- a list\n');
    await put('pov.txt', story('Pov'));
    await put('pov.txt.meta.yaml', 'pov: sideways\n');
    const library = await loadLibrary(dir);
    expect(library.stories.map((s) => s.title)).toEqual(['Good']);
    expect(library.problems).toEqual([
      { file: 'list.txt', reason: 'sidecar list.txt.meta.yaml must be a list of "key: value" lines' },
      { file: 'pov.txt', reason: 'sidecar pov.txt.meta.yaml: pov must be first, second or third' },
      {
        file: 'story.txt',
        reason: expect.stringMatching(/^sidecar story\.txt\.meta\.yaml is not valid YAML: /),
      },
    ]);
  });

  test('a sidecar whose story file is missing is a problem', async () => {
    await put('gone.txt.meta.yaml', 'title: Gone\n');
    const library = await loadLibrary(dir);
    expect(library.problems).toEqual([
      { file: 'gone.txt.meta.yaml', reason: 'sidecar for a story file that does not exist (gone.txt)' },
    ]);
  });
});

describe('loadStoryFile', () => {
  test('loads one file with its sidecar', async () => {
    await put('one.txt', story('One'));
    await put('one.txt.meta.yaml', 'rating: Explicit\n');
    const loaded = await loadStoryFile(join(dir, 'one.txt'), { root: dir });
    expect([loaded.file, loaded.title, loaded.ratingLevel]).toEqual(['one.txt', 'One', 'explicit']);
  });

  test.each([
    ['a missing file', 'missing.txt', 'cannot read: file not found (a broken link?)'],
    ['a folder', 'folder', 'cannot read: it is a folder'],
    ['an empty file', 'empty.txt', 'empty file'],
  ])('%s throws a StoryFileError with the reason', async (_name, file, reason) => {
    await mkdir(join(dir, 'folder'));
    await put('empty.txt', '');
    const attempt = loadStoryFile(join(dir, file));
    await expect(attempt).rejects.toBeInstanceOf(StoryFileError);
    await expect(loadStoryFile(join(dir, file))).rejects.toThrow(reason);
  });
});
