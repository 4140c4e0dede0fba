/**
 * Reading story files from disk: one file (loadStoryFile) or a whole data folder (loadLibrary).
 * One bad file never stops the others; each becomes a Problem naming the file and the reason.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { formatBytes, MAX_STORY_BYTES } from './decode.ts';
import { unsupportedExtension } from './detect.ts';
import { StoryFileError } from './errors.ts';
import { fieldsFromYaml, type StoryFields } from './fields.ts';
import { parseStory } from './parse.ts';
import type { Library, Problem, Story } from './types.ts';

/** A sidecar file overrides a story's metadata: `my-story.txt` → `my-story.txt.meta.yaml`. */
export const SIDECAR_SUFFIXES: readonly string[] = ['.meta.yaml', '.meta.yml'];

export function isSidecarFile(name: string): boolean {
  const lower = name.toLowerCase();
  return SIDECAR_SUFFIXES.some((suffix) => lower.endsWith(suffix));
}

export interface LoadProgress {
  readonly done: number;
  readonly total: number;
  /** The file just read, relative to the data folder. */
  readonly file: string;
}

/**
 * Somewhere parsed stories can be kept between loads, keyed by `storyCacheKey` (path, size,
 * modification time and sidecar). A `Map` works; a disk cache may answer asynchronously.
 */
export interface StoryCache {
  get(key: string): Story | undefined | Promise<Story | undefined>;
  set(key: string, story: Story): unknown;
}

export interface LoadLibraryOptions {
  readonly onProgress?: (progress: LoadProgress) => void;
  readonly maxBytes?: number;
  readonly cache?: StoryCache;
}

export interface LoadStoryOptions {
  /** The data folder: `Story.file` is the path relative to it (default: the path as given). */
  readonly root?: string;
  readonly maxBytes?: number;
}

interface FoundFile {
  readonly path: string;
  readonly file: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** A file's identity for caching: the same path, size and modification time parse the same. */
export function storyCacheKey(
  found: { path: string; size: number; mtimeMs: number },
  sidecar: string,
): string {
  return `${found.path}\0${found.size}\0${found.mtimeMs}\0${sidecar}`;
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'cannot read: file not found (a broken link?)';
    case 'EACCES':
    case 'EPERM':
      return 'cannot read: permission denied';
    case 'EISDIR':
      return 'cannot read: it is a folder';
    case 'ELOOP':
      return 'cannot read: symbolic link loop';
    default:
      return `cannot read: ${error instanceof Error ? error.message : String(error)}`;
  }
}

function describeError(error: unknown): string {
  if (error instanceof StoryFileError) return error.reason;
  return `failed to parse: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Reads the first of `candidates` (sidecar paths) that exists. Throws StoryFileError naming the
 * sidecar when it cannot be read or is invalid.
 */
async function readSidecar(
  candidates: readonly string[],
): Promise<{ fields: StoryFields; text: string } | null> {
  for (const sidecar of candidates) {
    let text: string;
    try {
      text = await readFile(sidecar, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new StoryFileError(`sidecar ${sidecar}: ${describeFsError(error)}`);
    }
    const name = sidecar.split(sep).pop() ?? sidecar;
    let data: unknown;
    try {
      data = parseYaml(text);
    } catch (error) {
      const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
      throw new StoryFileError(`sidecar ${name} is not valid YAML: ${message}`);
    }
    if (data === null || data === undefined) return { fields: {}, text };
    if (typeof data !== 'object' || Array.isArray(data)) {
      throw new StoryFileError(`sidecar ${name} must be a list of "key: value" lines`);
    }
    return { fields: fieldsFromYaml(data as Record<string, unknown>, `sidecar ${name}`), text };
  }
  return null;
}

async function readStory(
  found: FoundFile,
  sidecars: readonly string[],
  maxBytes: number,
  cache?: StoryCache,
): Promise<Story> {
  const unsupported = unsupportedExtension(found.file);
  if (unsupported) throw new StoryFileError(unsupported);
  if (found.size > maxBytes) {
    throw new StoryFileError(`file is ${formatBytes(found.size)}, over the ${formatBytes(maxBytes)} limit`);
  }
  const sidecar = await readSidecar(sidecars);
  const key = storyCacheKey(found, sidecar?.text ?? '');
  const cached = await cache?.get(key);
  if (cached) return cached;
  let bytes: Uint8Array;
  try {
    bytes = await readFile(found.path);
  } catch (error) {
    throw new StoryFileError(describeFsError(error));
  }
  const story = parseStory(bytes, found.file, {
    maxBytes,
    ...(sidecar ? { overrides: sidecar.fields } : {}),
  });
  await cache?.set(key, story);
  return story;
}

function relativeName(root: string | undefined, path: string): string {
  const name = root ? relative(root, path) : path;
  return name.split(sep).join('/');
}

/** Loads one story file (and its sidecar). Throws StoryFileError with the reason it cannot be read. */
export async function loadStoryFile(path: string, options: LoadStoryOptions = {}): Promise<Story> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    throw new StoryFileError(describeFsError(error));
  }
  if (info.isDirectory()) throw new StoryFileError('cannot read: it is a folder');
  // A FIFO or device would block the read forever (a FIFO until someone writes to it).
  if (!info.isFile()) throw new StoryFileError('cannot read: not a regular file');
  const found = { path, file: relativeName(options.root, path), size: info.size, mtimeMs: info.mtimeMs };
  const sidecars = SIDECAR_SUFFIXES.map((suffix) => `${path}${suffix}`);
  return readStory(found, sidecars, options.maxBytes ?? MAX_STORY_BYTES);
}

interface Walk {
  readonly files: FoundFile[];
  readonly sidecars: string[];
  readonly problems: Problem[];
}

/** Every file under `root`, sorted, skipping dotfiles; symbolic links are followed once. */
async function walk(root: string): Promise<Walk> {
  const result: Walk = { files: [], sidecars: [], problems: [] };
  const visited = new Set<string>();
  const visit = async (dir: string): Promise<void> => {
    let real: string;
    let names: string[];
    try {
      real = await realpath(dir);
      names = (await readdir(dir)).sort();
    } catch (error) {
      result.problems.push({ file: relativeName(root, dir) || '.', reason: describeFsError(error) });
      return;
    }
    if (visited.has(real)) return;
    visited.add(real);
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const path = join(dir, name);
      const file = relativeName(root, path);
      if (isSidecarFile(name)) {
        result.sidecars.push(path);
        continue;
      }
      let info: Awaited<ReturnType<typeof stat>>;
      try {
        info = await stat(path);
      } catch (error) {
        result.problems.push({ file, reason: describeFsError(error) });
        continue;
      }
      if (info.isDirectory()) await visit(path);
      else if (info.isFile()) result.files.push({ path, file, size: info.size, mtimeMs: info.mtimeMs });
      else result.problems.push({ file, reason: 'cannot read: not a regular file' });
    }
  };
  await visit(root);
  return result;
}

/** Gives every story an id no other story has: later files (in path order) get "-2", "-3", ... */
export function uniqueIds(stories: readonly Story[]): Story[] {
  const used = new Set<string>();
  return stories.map((story) => {
    let id = story.id;
    for (let n = 2; used.has(id); n++) id = `${story.id}-${n}`;
    used.add(id);
    return id === story.id ? story : { ...story, id };
  });
}

/**
 * Loads every story under `dir` (recursively, in path order). Files that cannot be read or parsed
 * become problems; sidecar files whose story is missing do too.
 */
export async function loadLibrary(dir: string, options: LoadLibraryOptions = {}): Promise<Library> {
  const maxBytes = options.maxBytes ?? MAX_STORY_BYTES;
  const rootInfo = await stat(dir).catch((error: unknown) => {
    throw new StoryFileError(`data folder ${dir}: ${describeFsError(error)}`);
  });
  if (!rootInfo.isDirectory()) throw new StoryFileError(`data folder ${dir} is not a folder`);
  const found = await walk(dir);
  const problems: Problem[] = [...found.problems];
  const stories: Story[] = [];
  const paths = new Set(found.files.map((file) => file.path));
  const sidecarsOf = new Map<string, string[]>();
  for (const sidecar of found.sidecars) {
    const storyPath = sidecar.replace(/\.meta\.ya?ml$/i, '');
    sidecarsOf.set(storyPath, [...(sidecarsOf.get(storyPath) ?? []), sidecar]);
    if (!paths.has(storyPath)) {
      problems.push({
        file: relativeName(dir, sidecar),
        reason: `sidecar for a story file that does not exist (${relativeName(dir, storyPath)})`,
      });
    }
  }
  let done = 0;
  for (const file of found.files) {
    try {
      stories.push(await readStory(file, sidecarsOf.get(file.path) ?? [], maxBytes, options.cache));
    } catch (error) {
      problems.push({ file: file.file, reason: describeError(error) });
    }
    done++;
    options.onProgress?.({ done, total: found.files.length, file: file.file });
  }
  problems.sort((a, b) => a.file.localeCompare(b.file));
  return { dir, stories: uniqueIds(stories), problems };
}
