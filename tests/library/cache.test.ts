import { copyFile, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  type LibraryCacheOptions,
  loadLibrary,
  openLibraryCache,
  type Story,
} from '../../src/library/index.ts';

const SEED_STORY = new URL('../e2e/stories/harbour-lights.txt', import.meta.url).pathname;
const PROSE = 'Dawn sat on the stairs and listened to the house settle around her.';

let dataDir: string;
let cacheDir: string;
let warnings: string[];

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ficbot-cache-data-'));
  cacheDir = await mkdtemp(join(tmpdir(), 'ficbot-cache-'));
  warnings = [];
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await rm(cacheDir, { recursive: true, force: true });
});

const open = (options: LibraryCacheOptions = {}) =>
  openLibraryCache({
    dir: cacheDir,
    codeVersion: 'v1',
    sweepAfterMs: null,
    onWarning: (message) => warnings.push(message),
    ...options,
  });

const put = (name: string, text: string) => writeFile(join(dataDir, name), text);
const story = (title: string, line = '"Come in," said Anya. "The kettle is on."') =>
  `Title: ${title}\n\n${PROSE}\n\n${line}\n`;

async function entries(): Promise<string[]> {
  return (await readdir(join(cacheDir, 'v1'))).filter((name) => name.endsWith('.bin'));
}

/** Every entry file's bytes replaced by `damage(bytes)`. */
async function damageEntries(damage: (bytes: Buffer) => Buffer | string): Promise<void> {
  for (const name of await entries()) {
    const path = join(cacheDir, 'v1', name);
    await writeFile(path, damage(await readFile(path)));
  }
}

describe('the parsed-library disk cache', () => {
  test('a second load reads every story from the cache, identical to parsing it', async () => {
    await copyFile(SEED_STORY, join(dataDir, 'harbour-lights.txt'));
    await put('short.txt', story('Short'));
    const fresh = await loadLibrary(dataDir);

    const first = await open();
    await loadLibrary(dataDir, { cache: first });
    expect(first.stats).toMatchObject({ hits: 0, misses: 2, writes: 2 });
    expect(await entries()).toHaveLength(2);

    const second = await open();
    const cached = await loadLibrary(dataDir, { cache: second });
    expect(second.stats).toMatchObject({ hits: 2, misses: 0, writes: 0 });
    expect(cached).toEqual(fresh);
    const quotes = cached.stories.find((s) => s.id === 'harbour-lights')?.dialogue.quotes ?? [];
    expect(quotes.length).toBeGreaterThan(10);
    expect(warnings).toEqual([]);
  });

  test('an edited story misses and is parsed again, replacing its entry', async () => {
    await put('a.txt', story('Before'));
    await loadLibrary(dataDir, { cache: await open() });
    await put('a.txt', story('After', '"Out," said Bram.'));
    // Same size and time would be indistinguishable; an edit changes at least the time.
    await utimes(join(dataDir, 'a.txt'), new Date(), new Date(Date.now() + 5_000));

    const cache = await open();
    const library = await loadLibrary(dataDir, { cache });
    expect(cache.stats).toMatchObject({ hits: 0, misses: 1, writes: 1 });
    expect(library.stories.map((s: Story) => s.title)).toEqual(['After']);
    expect(library.stories[0]?.dialogue.quotes.map((q) => q.text)).toEqual(['Out,']);
    expect(await entries()).toHaveLength(1);
  });

  test('a changed sidecar misses too', async () => {
    await put('a.txt', story('Plain'));
    await loadLibrary(dataDir, { cache: await open() });
    await put('a.txt.meta.yaml', 'title: From The Sidecar\n');
    const cache = await open();
    const library = await loadLibrary(dataDir, { cache });
    expect(cache.stats.hits).toBe(0);
    expect(library.stories[0]?.title).toBe('From The Sidecar');
  });

  test('a new story is parsed while the others come from the cache', async () => {
    await put('a.txt', story('Alpha'));
    await loadLibrary(dataDir, { cache: await open() });
    await put('b.txt', story('Bravo'));
    const cache = await open();
    const library = await loadLibrary(dataDir, { cache });
    expect(cache.stats).toMatchObject({ hits: 1, misses: 1 });
    expect(library.stories.map((s) => s.title)).toEqual(['Alpha', 'Bravo']);
  });

  test('a deleted story disappears from the library, and a sweep removes its entry', async () => {
    await put('a.txt', story('Alpha'));
    await put('b.txt', story('Bravo'));
    await loadLibrary(dataDir, { cache: await open() });
    await rm(join(dataDir, 'b.txt'));

    const cache = await open();
    const library = await loadLibrary(dataDir, { cache });
    expect(library.stories.map((s) => s.title)).toEqual(['Alpha']);
    expect(await cache.sweep()).toBe(1);
    expect(await entries()).toHaveLength(1);
    expect((await loadLibrary(dataDir, { cache: await open() })).stories.map((s) => s.title)).toEqual([
      'Alpha',
    ]);
  });

  test('entries written by other library code are not used; a sweep removes them once idle', async () => {
    await put('a.txt', story('Alpha'));
    await loadLibrary(dataDir, { cache: await open({ codeVersion: 'v1' }) });
    const cache = await open({ codeVersion: 'v2' });
    const library = await loadLibrary(dataDir, { cache });
    expect(cache.stats).toMatchObject({ hits: 0, misses: 1, writes: 1 });
    expect(library.stories[0]?.title).toBe('Alpha');
    // Another process may still be filling v1 (a rolling restart): a fresh folder is kept.
    await cache.sweep();
    expect((await readdir(cacheDir)).sort()).toEqual(['v1', 'v2']);
    const anHourAgo = new Date(Date.now() - 3_600_000);
    await utimes(join(cacheDir, 'v1'), anHourAgo, anHourAgo);
    await cache.sweep();
    expect(await readdir(cacheDir)).toEqual(['v2']);
  });

  test('the default code version changes when a library source file changes', async () => {
    const { libraryCodeVersion } = await import('../../src/library/cache.ts');
    const sources = await mkdtemp(join(tmpdir(), 'ficbot-cache-src-'));
    try {
      await writeFile(join(sources, 'parse.ts'), 'export const a = 1;\n');
      const before = await libraryCodeVersion(sources);
      expect(await libraryCodeVersion(sources)).toBe(before);
      await writeFile(join(sources, 'parse.ts'), 'export const a = 2;\n');
      expect(await libraryCodeVersion(sources)).not.toBe(before);
    } finally {
      await rm(sources, { recursive: true, force: true });
    }
  });

  test.each([
    ['garbage', () => 'not a cache entry at all'],
    ['truncated', (bytes: Buffer) => bytes.subarray(0, Math.floor(bytes.length / 2))],
    [
      'one flipped byte',
      (bytes: Buffer) => {
        const copy = Buffer.from(bytes);
        const at = copy.length - 40;
        copy[at] = (copy[at] ?? 0) ^ 0xff;
        return copy;
      },
    ],
    ['empty', () => ''],
  ])('a %s entry is ignored and rebuilt, never a crash', async (_name, damage) => {
    await copyFile(SEED_STORY, join(dataDir, 'harbour-lights.txt'));
    const fresh = await loadLibrary(dataDir);
    await loadLibrary(dataDir, { cache: await open() });
    await damageEntries(damage);

    const cache = await open();
    const library = await loadLibrary(dataDir, { cache });
    expect(library).toEqual(fresh);
    expect(cache.stats).toMatchObject({ hits: 0, rejected: 1, writes: 1 });
    expect(warnings.some((warning) => warning.includes('ignored'))).toBe(true);

    const again = await open();
    expect(await loadLibrary(dataDir, { cache: again })).toEqual(fresh);
    expect(again.stats.hits).toBe(1);
  });

  test('a cache folder that cannot be created means no cache, not an error', async () => {
    // A file where the folder should be: nobody, root included, can create the folder.
    await writeFile(join(cacheDir, 'blocker'), '');
    const cache = await open({ dir: join(cacheDir, 'blocker', 'library') });
    await put('a.txt', story('Alpha'));
    const library = await loadLibrary(dataDir, { cache });
    expect(library.stories.map((s) => s.title)).toEqual(['Alpha']);
    expect(cache.stats.writes).toBe(0);
    expect(warnings.join('\n')).toMatch(/library cache disabled/);
  });

  test('a write that fails part-way leaves no entry behind and loading carries on', async () => {
    await put('a.txt', story('Alpha'));
    const cache = await open();
    // The entry folder vanishing under the cache stands in for a failing disk.
    await rm(join(cacheDir, 'v1'), { recursive: true, force: true });
    const library = await loadLibrary(dataDir, { cache });
    expect(library.stories.map((s) => s.title)).toEqual(['Alpha']);
    expect(cache.stats.writes).toBe(0);
    expect(warnings.join('\n')).toMatch(/cannot write/);
  });
});
