/**
 * The ~100 MB library `npm run bench` starts the bot with: the PDNC novels copied again and again
 * under bench/corpus/, each copy with its own title, author line, rating, warnings, fandom and
 * summary so the bot sees distinct stories (distinct ids, a mix of ratings for gating). Built
 * once; reused while its marker file says it was built by this recipe.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ROOT } from './processes.ts';

export const PDNC_DIR = resolve(ROOT, '..', 'shared', 'pdnc');
export const CORPUS_DIR = resolve(ROOT, 'bench', 'corpus');
/** ficbot's own quiz fixture, added so the bench can play a quiz round. */
export const QUIZ_STORY = resolve(ROOT, 'tests', 'e2e', 'stories', 'harbour-lights.txt');
const TARGET_BYTES = 100e6;
const RECIPE = 2;

const RATINGS = ['General Audiences', 'Teen And Up Audiences', 'Mature', 'Explicit', 'Not Rated'];
const WARNINGS = [
  'No Archive Warnings Apply',
  'Graphic Depictions Of Violence',
  'Creator Chose Not To Use Archive Warnings',
  'Major Character Death',
  'No Archive Warnings Apply, Alcohol',
];
const VARIANTS = [
  '',
  ': A Retelling',
  " (Director's Cut)",
  ': The Lost Drafts',
  ' Revisited',
  ': Alternate Universe',
  ' (Annotated)',
  ': Missing Scenes',
  ' Redux',
  ': Fix-It',
  ' (Unabridged)',
];

export interface Novel {
  readonly folder: string;
  readonly path: string;
  readonly title: string;
  readonly author: string;
  readonly genre: string;
}

/** Every PDNC novel_text.txt, with its title and author code from the index; a clear error when missing. */
export function pdncNovels(dir: string = PDNC_DIR): Novel[] {
  if (!existsSync(dir)) {
    throw new Error(
      `the PDNC corpus is missing: expected ${dir} (folders with novel_text.txt, next to the repository)`,
    );
  }
  const index = new Map<string, { title: string; author: string; genre: string }>();
  const csv = join(dir, 'PDNC-Novel-Index.csv');
  if (existsSync(csv)) {
    for (const line of readFileSync(csv, 'utf8').split('\n').slice(1)) {
      const cells = [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)].map((m) =>
        (m[1] ?? '').replace(/^"|"$/g, ''),
      );
      const folder = cells[16];
      if (folder)
        index.set(folder, { title: cells[1] ?? folder, author: cells[4] ?? 'PDNC', genre: cells[13] ?? '' });
    }
  }
  const novels = readdirSync(dir)
    .sort()
    .map((folder) => ({ folder, path: join(dir, folder, 'novel_text.txt') }))
    .filter((novel) => existsSync(novel.path))
    .map((novel) => {
      const known = index.get(novel.folder);
      return {
        ...novel,
        title: known?.title ?? novel.folder.replace(/([a-z])([A-Z])/g, '$1 $2'),
        author: known?.author ?? 'PDNC',
        genre: known?.genre ?? '',
      };
    });
  if (novels.length === 0) throw new Error(`no */novel_text.txt under ${dir}`);
  return novels;
}

function header(novel: Novel, copy: number, index: number): string {
  const variant = VARIANTS[(copy - 1) % VARIANTS.length] ?? '';
  const title = `${novel.title}${variant}${copy > VARIANTS.length ? ` ${copy}` : ''}`;
  const n = copy + index;
  return [
    `Title: ${title}`,
    `Author: ${novel.author.toLowerCase()}_${copy}`,
    `Rating: ${RATINGS[n % RATINGS.length]}`,
    `Archive Warning: ${WARNINGS[(n * 7) % WARNINGS.length]}`,
    `Fandom: ${novel.title}${novel.genre ? ` (${novel.genre})` : ''}`,
    `Summary: Copy ${copy} of ${novel.title} for the ficbot benchmark.`,
    '',
    '',
  ].join('\n');
}

export interface Corpus {
  readonly dir: string;
  readonly bytes: number;
  readonly files: number;
  readonly built: boolean;
}

export async function buildCorpus(log: (line: string) => void): Promise<Corpus> {
  const marker = join(CORPUS_DIR, '.built.json');
  if (existsSync(marker)) {
    const previous = JSON.parse(await readFile(marker, 'utf8')) as {
      bytes: number;
      files: number;
      recipe?: number;
    };
    if (previous.recipe === RECIPE && previous.bytes >= TARGET_BYTES) {
      // The quiz story is a test fixture: always its current version.
      await copyFile(QUIZ_STORY, join(CORPUS_DIR, 'harbour-lights.txt'));
      return { dir: CORPUS_DIR, bytes: previous.bytes, files: previous.files, built: false };
    }
  }
  await rm(CORPUS_DIR, { recursive: true, force: true });
  await mkdir(CORPUS_DIR, { recursive: true });
  const novels = pdncNovels();
  const texts = await Promise.all(novels.map((novel) => readFile(novel.path, 'utf8')));
  let bytes = 0;
  let files = 0;
  for (let copy = 1; bytes < TARGET_BYTES; copy++) {
    for (const [index, novel] of novels.entries()) {
      const body = header(novel, copy, index) + (texts[index] ?? '');
      await writeFile(join(CORPUS_DIR, `${novel.folder.toLowerCase()}-${copy}.txt`), body);
      bytes += Buffer.byteLength(body);
      files++;
    }
    log(`corpus: ${files} files, ${Math.round(bytes / 1e6)} MB`);
  }
  await copyFile(QUIZ_STORY, join(CORPUS_DIR, 'harbour-lights.txt'));
  bytes += (await stat(QUIZ_STORY)).size;
  files++;
  await writeFile(marker, JSON.stringify({ bytes, files, recipe: RECIPE }));
  return { dir: CORPUS_DIR, bytes, files, built: true };
}
