/**
 * A parsed-library cache on disk, so a restart does not parse and analyse every story again.
 *
 * Layout: `<dir>/<version>/<sha256 of the story path>.bin`, one file per story. `<version>` is a
 * hash of CACHE_FORMAT, the Node/V8 version and the contents of every source file of the library
 * (src/library/**, dialogue included): changing the parsing code starts a fresh folder, and the
 * folders of other versions are removed when a cache opens.
 *
 * Each entry holds the full StoryCache key (path, size, modification time, sidecar text, as
 * loadLibrary builds it), so an edited file or sidecar misses and is parsed again; the new entry
 * replaces the old one because both live under the same path hash. A deleted story is simply never
 * asked for again (its entry stays until the file's path is reused or the code changes).
 *
 * Entries are `MAGIC | u32 header length | header JSON | v8.serialize(story)`, the header carrying
 * the key, the payload length and its CRC-32. Anything that does not check out (truncated,
 * corrupt, another key) is a miss and the file is removed. Writes go to a temporary file renamed
 * into place, so a reader never sees half an entry. A read-only or full disk means no cache, never
 * an error: loading simply parses as if there were no cache.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { crc32 } from 'node:zlib';
import type { StoryCache } from './load.ts';
import type { Quote, Story } from './types.ts';

/** Bump when the entry layout or the stored shape changes. */
export const CACHE_FORMAT = 1;

/** Another code version's folder untouched this long is removed by a sweep. */
const STALE_VERSION_MS = 10 * 60_000;
const MAGIC = Buffer.from('FICBOTLC', 'latin1');
const LIBRARY_SOURCE = dirname(fileURLToPath(import.meta.url));

/** `.cache/library` under the project root. */
export const DEFAULT_CACHE_DIR = fileURLToPath(new URL('../../.cache/library', import.meta.url));

export interface LibraryCacheOptions {
  /** Where entries live (default DEFAULT_CACHE_DIR). */
  readonly dir?: string;
  /** Overrides the code version (default: a hash of CACHE_FORMAT, Node's version and src/library). */
  readonly codeVersion?: string;
  /** Told once when the cache stops writing (read-only folder, full disk) and of unreadable entries. */
  readonly onWarning?: (message: string) => void;
  /**
   * Run `sweep()` in the background this long after opening (default 60 s, off the start-up
   * path; the timer never keeps the process alive). null: only when called.
   */
  readonly sweepAfterMs?: number | null;
}

export interface LibraryCache extends StoryCache {
  get(key: string): Promise<Story | undefined>;
  set(key: string, story: Story): Promise<void>;
  /** The folder entries of this code version are written to. */
  readonly dir: string;
  readonly stats: { hits: number; misses: number; writes: number; rejected: number };
  /**
   * Removes the entries of story files that no longer exist, and the folders of other code
   * versions once idle for 10 minutes; resolves to how many entries and folders it removed.
   */
  sweep(): Promise<number>;
}

interface EntryHeader {
  readonly format: number;
  readonly key: string;
  readonly length: number;
  readonly crc: number;
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await sourceFiles(path)));
    else if (entry.name.endsWith('.ts')) files.push(path);
  }
  return files;
}

/** A hash of everything that decides what a parsed story looks like. */
export async function libraryCodeVersion(sourceDir: string = LIBRARY_SOURCE): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`format ${CACHE_FORMAT}\0node ${process.versions.node}\0v8 ${process.versions.v8}\0`);
  for (const file of await sourceFiles(sourceDir)) {
    hash.update(`${file.slice(sourceDir.length)}\0`);
    hash.update(await readFile(file));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

const QUOTE_KEYS = 'confidence,eligible,end,parts,scene,speaker,start,text,type';
const PARAGRAPH_KEYS = 'end,start';

/**
 * Quotes and paragraphs are by far the most numerous objects in a story; they are stored as
 * columns (typed arrays plus small string tables), which V8 reads back much faster than hundreds
 * of thousands of objects and which load into compact, same-shaped objects. A quote's `text` is
 * left out when it is its parts of `Story.text` joined by a space (it is then a slice on load).
 * Anything of another shape (a field added to Quote, say) is stored as it is.
 */
interface QuoteColumns {
  readonly count: number;
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** Quote i's parts are bounds[2 * partsFrom[i] ..< 2 * partsFrom[i + 1]]. */
  readonly partsFrom: Int32Array;
  readonly bounds: Int32Array;
  /** null where the text is the joined parts. */
  readonly text: (string | null)[];
  readonly strings: string[];
  /** Index into `strings`, -1 for null. */
  readonly speaker: Int32Array;
  readonly type: Int32Array;
  readonly confidence: Float64Array;
  readonly eligible: Uint8Array;
  readonly scene: Int32Array;
}

interface ParagraphColumns {
  /** Scene i's paragraphs are bounds[2 * from[i] ..< 2 * from[i + 1]]. */
  readonly from: Int32Array;
  readonly bounds: Int32Array;
}

interface StoredStory {
  readonly story: Story;
  readonly quotes: QuoteColumns | null;
  readonly paragraphs: ParagraphColumns | null;
}

const isInt32 = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= -0x80000000 && value <= 0x7fffffff;

const joinedParts = (text: string, parts: Quote['parts']): string =>
  parts.length === 1 && parts[0]
    ? text.slice(parts[0][0], parts[0][1])
    : parts.map(([start, end]) => text.slice(start, end)).join(' ');

function quoteColumns(text: string, quotes: readonly Quote[]): QuoteColumns | null {
  let totalParts = 0;
  for (const quote of quotes) {
    if (Object.keys(quote).sort().join(',') !== QUOTE_KEYS) return null;
    if (!isInt32(quote.start) || !isInt32(quote.end) || !isInt32(quote.scene)) return null;
    if (typeof quote.confidence !== 'number' || typeof quote.eligible !== 'boolean') return null;
    if (typeof quote.type !== 'string' || typeof quote.text !== 'string') return null;
    if (quote.speaker !== null && typeof quote.speaker !== 'string') return null;
    if (!Array.isArray(quote.parts)) return null;
    for (const part of quote.parts) {
      if (!Array.isArray(part) || part.length !== 2 || !isInt32(part[0]) || !isInt32(part[1])) return null;
    }
    totalParts += quote.parts.length;
  }
  const count = quotes.length;
  const columns: QuoteColumns = {
    count,
    start: new Int32Array(count),
    end: new Int32Array(count),
    partsFrom: new Int32Array(count + 1),
    bounds: new Int32Array(totalParts * 2),
    text: new Array<string | null>(count),
    strings: [],
    speaker: new Int32Array(count),
    type: new Int32Array(count),
    confidence: new Float64Array(count),
    eligible: new Uint8Array(count),
    scene: new Int32Array(count),
  };
  const stringIndex = new Map<string, number>();
  const intern = (value: string) => {
    let index = stringIndex.get(value);
    if (index === undefined) {
      index = columns.strings.length;
      columns.strings.push(value);
      stringIndex.set(value, index);
    }
    return index;
  };
  let part = 0;
  quotes.forEach((quote, i) => {
    columns.start[i] = quote.start;
    columns.end[i] = quote.end;
    columns.partsFrom[i] = part;
    for (const [from, to] of quote.parts) {
      columns.bounds[2 * part] = from;
      columns.bounds[2 * part + 1] = to;
      part++;
    }
    columns.text[i] = quote.text === joinedParts(text, quote.parts) ? null : quote.text;
    columns.speaker[i] = quote.speaker === null ? -1 : intern(quote.speaker);
    columns.type[i] = intern(quote.type);
    columns.confidence[i] = quote.confidence;
    columns.eligible[i] = quote.eligible ? 1 : 0;
    columns.scene[i] = quote.scene;
  });
  columns.partsFrom[count] = part;
  return columns;
}

function quotesFrom(text: string, columns: QuoteColumns): Quote[] {
  const { start, end, partsFrom, bounds, strings, speaker, type, confidence, eligible, scene } = columns;
  const quotes = new Array<Quote>(columns.count);
  for (let i = 0; i < columns.count; i++) {
    const from = partsFrom[i] ?? 0;
    // Arrays of the exact length: push() would leave spare capacity in every one of them.
    const parts = new Array<readonly [number, number]>((partsFrom[i + 1] ?? 0) - from);
    for (let p = 0; p < parts.length; p++)
      parts[p] = [bounds[2 * (from + p)] ?? 0, bounds[2 * (from + p) + 1] ?? 0];
    const speakerIndex = speaker[i] ?? -1;
    quotes[i] = {
      start: start[i] ?? 0,
      end: end[i] ?? 0,
      parts,
      text: columns.text[i] ?? joinedParts(text, parts),
      speaker: speakerIndex === -1 ? null : (strings[speakerIndex] ?? null),
      type: strings[type[i] ?? 0] as Quote['type'],
      confidence: confidence[i] ?? 0,
      eligible: eligible[i] === 1,
      scene: scene[i] ?? 0,
    };
  }
  return quotes;
}

function paragraphColumns(scenes: Story['scenes']): ParagraphColumns | null {
  let total = 0;
  for (const scene of scenes) {
    for (const paragraph of scene.paragraphs) {
      if (Object.keys(paragraph).sort().join(',') !== PARAGRAPH_KEYS) return null;
      if (!isInt32(paragraph.start) || !isInt32(paragraph.end)) return null;
    }
    total += scene.paragraphs.length;
  }
  const from = new Int32Array(scenes.length + 1);
  const bounds = new Int32Array(total * 2);
  let index = 0;
  scenes.forEach((scene, i) => {
    from[i] = index;
    for (const paragraph of scene.paragraphs) {
      bounds[2 * index] = paragraph.start;
      bounds[2 * index + 1] = paragraph.end;
      index++;
    }
  });
  from[scenes.length] = index;
  return { from, bounds };
}

function scenesFrom(scenes: Story['scenes'], columns: ParagraphColumns): Story['scenes'] {
  return scenes.map((scene, i) => {
    const from = columns.from[i] ?? 0;
    const paragraphs = new Array<{ start: number; end: number }>((columns.from[i + 1] ?? 0) - from);
    for (let p = 0; p < paragraphs.length; p++) {
      paragraphs[p] = {
        start: columns.bounds[2 * (from + p)] ?? 0,
        end: columns.bounds[2 * (from + p) + 1] ?? 0,
      };
    }
    return { ...scene, paragraphs };
  });
}

function toStored(story: Story): StoredStory {
  const quotes = quoteColumns(story.text, story.dialogue.quotes);
  const paragraphs = paragraphColumns(story.scenes);
  return {
    story: {
      ...story,
      scenes: paragraphs ? story.scenes.map((scene) => ({ ...scene, paragraphs: [] })) : story.scenes,
      dialogue: quotes ? { ...story.dialogue, quotes: [] } : story.dialogue,
    },
    quotes,
    paragraphs,
  };
}

function fromStored(stored: StoredStory): Story {
  const { story } = stored;
  return {
    ...story,
    scenes: stored.paragraphs ? scenesFrom(story.scenes, stored.paragraphs) : story.scenes,
    dialogue: stored.quotes
      ? { ...story.dialogue, quotes: quotesFrom(story.text, stored.quotes) }
      : story.dialogue,
  };
}

function looksStored(value: unknown): value is StoredStory {
  const stored = value as Partial<StoredStory> | null;
  if (typeof stored !== 'object' || stored === null) return false;
  const story = stored.story as Partial<Story> | undefined;
  return (
    typeof story === 'object' &&
    story !== null &&
    typeof story.id === 'string' &&
    typeof story.text === 'string' &&
    Array.isArray(story.scenes) &&
    typeof story.dialogue === 'object' &&
    story.dialogue !== null &&
    Array.isArray(story.dialogue.quotes)
  );
}

/** The story path: the first NUL-separated field of a storyCacheKey (the whole key otherwise). */
function pathOfKey(key: string): string {
  const end = key.indexOf('\0');
  return end === -1 ? key : key.slice(0, end);
}

/** The key an entry was written for, reading only its header; null when unreadable. */
async function entryKey(path: string): Promise<string | null> {
  const handle = await open(path, 'r');
  try {
    const prefix = Buffer.alloc(MAGIC.length + 4);
    const { bytesRead } = await handle.read(prefix, 0, prefix.length, 0);
    if (bytesRead < prefix.length || !prefix.subarray(0, MAGIC.length).equals(MAGIC)) return null;
    const header = Buffer.alloc(prefix.readUInt32LE(MAGIC.length));
    const read = await handle.read(header, 0, header.length, prefix.length);
    if (read.bytesRead < header.length) return null;
    const parsed = JSON.parse(header.toString('utf8')) as Partial<EntryHeader>;
    return typeof parsed.key === 'string' ? parsed.key : null;
  } catch {
    return null;
  } finally {
    await handle.close();
  }
}

export function encodeEntry(key: string, story: Story): Buffer {
  const payload = serialize(toStored(story));
  const header: EntryHeader = { format: CACHE_FORMAT, key, length: payload.length, crc: crc32(payload) };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const size = Buffer.alloc(4);
  size.writeUInt32LE(headerBytes.length);
  return Buffer.concat([MAGIC, size, headerBytes, payload]);
}

/** The story in an entry written for `key`, or a reason it cannot be used. */
export function decodeEntry(bytes: Buffer, key: string): Story | string {
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC))
    return 'not a cache entry';
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  const headerStart = MAGIC.length + 4;
  if (headerStart + headerLength > bytes.length) return 'truncated header';
  let header: EntryHeader;
  try {
    header = JSON.parse(
      bytes.subarray(headerStart, headerStart + headerLength).toString('utf8'),
    ) as EntryHeader;
  } catch {
    return 'unreadable header';
  }
  if (header.format !== CACHE_FORMAT) return `format ${String(header.format)}, expected ${CACHE_FORMAT}`;
  if (header.key !== key) return 'written for another version of the file';
  const payload = bytes.subarray(headerStart + headerLength);
  if (payload.length !== header.length) return 'truncated';
  if (crc32(payload) !== header.crc) return 'checksum mismatch';
  let value: unknown;
  try {
    value = deserialize(payload);
  } catch {
    return 'unreadable payload';
  }
  if (!looksStored(value)) return 'not a story';
  try {
    return fromStored(value);
  } catch {
    return 'not a story';
  }
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code ?? (error instanceof Error ? error.message : String(error));
}

/**
 * Opens (creating if needed) the cache for the current library code. Never throws: when the
 * folder cannot be created the cache still answers, as misses, and writes nothing.
 */
export async function openLibraryCache(options: LibraryCacheOptions = {}): Promise<LibraryCache> {
  const root = options.dir ?? DEFAULT_CACHE_DIR;
  const version = options.codeVersion ?? (await libraryCodeVersion());
  const dir = join(root, version);
  const warn = options.onWarning ?? (() => {});
  let writable = true;
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    writable = false;
    warn(`library cache disabled: cannot use ${root} (${describe(error)})`);
  }
  const stats = { hits: 0, misses: 0, writes: 0, rejected: 0 };
  const entryPath = (key: string) =>
    join(dir, `${createHash('sha256').update(pathOfKey(key)).digest('hex').slice(0, 32)}.bin`);

  const sweep = async (): Promise<number> => {
    let removed = 0;
    // Entries of other code versions can never be read again. A folder written to in the last
    // few minutes may belong to another process loading right now (a rolling restart): later.
    for (const other of await readdir(root).catch(() => [] as string[])) {
      if (other === version) continue;
      const idle = await stat(join(root, other)).then(
        (info) => Date.now() - info.mtimeMs > STALE_VERSION_MS,
        () => false,
      );
      if (
        idle &&
        (await rm(join(root, other), { recursive: true, force: true }).then(
          () => true,
          () => false,
        ))
      ) {
        removed++;
      }
    }
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const path = join(dir, name);
      const key = name.endsWith('.bin') ? await entryKey(path).catch(() => null) : null;
      const gone =
        key === null
          ? name.endsWith('.tmp') || name.endsWith('.bin')
          : await stat(pathOfKey(key)).then(
              () => false,
              (error: unknown) => isMissing(error),
            );
      // Leftover temporary files are only removed once they are clearly abandoned.
      if (gone && name.endsWith('.tmp')) {
        const age = await stat(path).then(
          (info) => Date.now() - info.mtimeMs,
          () => 0,
        );
        if (age < 600_000) continue;
      }
      if (
        gone &&
        (await unlink(path).then(
          () => true,
          () => false,
        ))
      )
        removed++;
    }
    return removed;
  };
  const sweepAfterMs = options.sweepAfterMs === undefined ? 60_000 : options.sweepAfterMs;
  if (writable && sweepAfterMs !== null) {
    setTimeout(() => void sweep().catch(() => {}), sweepAfterMs).unref();
  }

  return {
    dir,
    stats,
    sweep,
    async get(key) {
      const path = entryPath(key);
      let bytes: Buffer;
      try {
        bytes = await readFile(path);
      } catch (error) {
        stats.misses++;
        if (!isMissing(error)) warn(`library cache: cannot read ${path} (${describe(error)})`);
        return undefined;
      }
      const story = decodeEntry(bytes, key);
      if (typeof story === 'string') {
        stats.misses++;
        stats.rejected++;
        // A stale entry (the file changed) is normal; anything else is damage worth a line.
        if (story !== 'written for another version of the file')
          warn(`library cache: ignored ${path}: ${story}`);
        await unlink(path).catch(() => {});
        return undefined;
      }
      stats.hits++;
      return story;
    },
    async set(key, story) {
      if (!writable) return;
      const path = entryPath(key);
      const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      try {
        await writeFile(temporary, encodeEntry(key, story));
        await rename(temporary, path);
        stats.writes++;
      } catch (error) {
        await unlink(temporary).catch(() => {});
        const code = describe(error);
        if (
          code === 'EACCES' ||
          code === 'EPERM' ||
          code === 'EROFS' ||
          code === 'ENOSPC' ||
          code === 'EDQUOT'
        ) {
          writable = false;
          warn(`library cache: stopped writing to ${dir} (${code})`);
        } else {
          warn(`library cache: cannot write ${path} (${code})`);
        }
      }
    },
  };
}
